import { render } from 'react-dom';
import { loadFluentTheme } from '@ruche/ui';
import { App, initialLocale, initialTheme, loadMessages } from './App.js';
import { detectHost, hasLocalToken, notifySuccess, redirectToSignIn } from './host.js';

/** Detects the host, loads the language and theme the page opens with, and renders the app. */
export async function start(): Promise<void> {
  const host = await detectHost();
  if (!host.inTeams && !hasLocalToken()) {
    redirectToSignIn();
    return;
  }
  const [messages] = await Promise.all([loadMessages(initialLocale(host)), loadFluentTheme(initialTheme(host))]);
  render(<App host={host} messages={messages} />, document.getElementById('root'));
  notifySuccess(host);
}
