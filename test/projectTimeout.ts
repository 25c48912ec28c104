// Jest reads `testTimeout` only from the top-level configuration, not from a project's: each project
// passes its own through `globals` (jest.config.js) and this sets it, or every test would get 5 s.
const { projectTestTimeoutMs } = globalThis as { projectTestTimeoutMs?: number };
if (projectTestTimeoutMs) jest.setTimeout(projectTestTimeoutMs);
