// A Vite app's use of the package, as its README shows it: import, init once, call.
import init, { Engine, AdaccessError } from "adaccess";
import initFull, { Engine as FullEngine, AdaccessError as FullAdaccessError } from "adaccess/full";
import { scenario } from "./scenario.js";

await init();
await initFull();
const out = document.getElementById("out");
out.textContent = JSON.stringify(scenario(Engine, AdaccessError, FullEngine, FullAdaccessError));
out.dataset.done = "true";
