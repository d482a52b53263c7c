// The tabs' entry: small on purpose. In a browser on the home page it starts the home feed's
// first request at once, then loads the app (boot.tsx, whose chunks index.html preloads), so
// that the API works on the feed while the browser fetches and compiles the app's code.
import './global.css';
import { startHomeFeedRequest } from '@ruche/ui/early';
import { localToken, mayBeInTeams } from './host.js';

const token = localToken();
if (token && !mayBeInTeams() && /^\/tabs(\/|\/home\/?)?$/.test(location.pathname)) startHomeFeedRequest(token);

void import('./boot.js').then((m) => m.start());
