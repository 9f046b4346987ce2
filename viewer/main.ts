/** The viewer page's entry point: mounts the viewer on this document. */
import { mountViewer } from "./app.js";

mountViewer(document, () => new Worker(new URL("./worker.js", import.meta.url), { type: "module" }));
