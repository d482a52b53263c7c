import './global.css';
import { render } from 'react-dom';
import { App } from './App.js';
import { detectHost, hasLocalToken, notifySuccess, redirectToSignIn } from './host.js';

async function start(): Promise<void> {
  const host = await detectHost();
  if (!host.inTeams && !hasLocalToken()) {
    redirectToSignIn();
    return;
  }
  render(<App host={host} />, document.getElementById('root'));
  notifySuccess(host);
}

void start();
