import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { ProjectEditor } from "./board/ProjectEditor";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
// Temporary dev entry until the app's router lands: /orgs/:org/projects/:project opens the editor.
const project = /^\/orgs\/([^/]+)\/projects\/([^/]+)\/?$/.exec(location.pathname);
createRoot(root).render(
  <StrictMode>{project ? <ProjectEditor orgId={project[1]!} projectId={project[2]!} /> : <App />}</StrictMode>,
);
