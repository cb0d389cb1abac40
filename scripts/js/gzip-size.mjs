// Prints the size of a file gzipped by zlib at level 9 (as wasm/js/bench.mjs measures it; GNU
// gzip -9 writes about 1 KB less for the .wasm). Usage: node scripts/js/gzip-size.mjs FILE
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

process.stdout.write(String(gzipSync(readFileSync(process.argv[2]), { level: 9 }).length));
