export { buildApp, type AppOptions, type RucheApp } from './app.js';
export { startServer, type RunningServer } from './server.js';
