// A Vite app's use of the package, as its README shows it: import, init once, call.
import init, { Engine, AdaccessError } from "adaccess";
import { scenario } from "./scenario.js";

await init();
const out = document.getElementById("out");
out.textContent = JSON.stringify(scenario(Engine, AdaccessError));
out.dataset.done = "true";
