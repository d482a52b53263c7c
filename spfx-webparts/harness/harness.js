/* Stand-in SPFx runtime for the local harness (see index.html). Plain browser JavaScript. */
(function () {
  var params = new URLSearchParams(location.search);
  var token = params.get('token') || '';
  var locale = params.get('locale') || 'en-US';
  document.documentElement.lang = locale;
  var defined = null;
  // The SPFx bundle and its strings are AMD modules: capture each definition as it loads.
  window.define = function (deps, factory) {
    defined = { deps: deps, factory: factory };
  };
  window.define.amd = true;

  function BaseClientSideWebPart() {
    this.properties = {};
    this.renderedOnce = false;
  }
  BaseClientSideWebPart.prototype.onInit = function () {
    return Promise.resolve();
  };
  var propertyPane = new Proxy({}, { get: function () { return function () { return {}; }; } });
  var modules = {
    react: window.React,
    'react-dom': window.ReactDOM,
    '@microsoft/sp-core-library': { Version: { parse: function (v) { return v; } } },
    '@microsoft/sp-property-pane': propertyPane,
    '@microsoft/sp-webpart-base': { BaseClientSideWebPart: BaseClientSideWebPart },
    '@microsoft/sp-http': { AadHttpClient: { configurations: { v1: 'aad-v1' } }, SPHttpClient: { configurations: { v1: 'sp-v1' } } },
  };
  var calls = [];
  var context = {
    pageContext: { cultureInfo: { currentUICultureName: locale }, web: { absoluteUrl: location.origin + '/sites/intranet' } },
    // No tenant properties here: the web parts' own properties say where the API is.
    spHttpClient: { get: function () { return Promise.resolve({ ok: false, status: 404 }); } },
    aadHttpClientFactory: {
      getClient: function (resource) {
        return Promise.resolve({
          fetch: function (url, configuration, options) {
            calls.push({ resource: resource, configuration: configuration, url: url, method: options.method });
            var headers = new Headers(options.headers);
            headers.set('authorization', 'Bearer ' + token);
            return fetch(url, { method: options.method, headers: headers, body: options.body });
          },
        });
      },
    },
    statusRenderer: { renderError: function (el, err) { el.textContent = 'Error: ' + err; } },
  };
  var strongSection = {
    isInverted: true,
    palette: { themePrimary: '#ffffff' },
    semanticColors: {
      bodyBackground: '#0078d4', bodyText: '#ffffff', bodySubtext: '#ffffff', link: '#ffffff', linkHovered: '#f3f2f1',
      primaryButtonBackground: '#ffffff', primaryButtonBackgroundHovered: '#f3f2f1', primaryButtonBackgroundPressed: '#edebe9', primaryButtonText: '#0078d4',
    },
  };

  window.rucheHarness = {
    calls: calls,
    stringsLoaded: function () {
      modules.RucheWebPartStrings = defined.factory();
    },
    start: function () {
      var lib = defined.factory.apply(null, defined.deps.map(function (d) {
        if (!(d in modules)) throw new Error('harness: no stand-in for ' + d);
        return modules[d];
      }));
      var api = { apiBaseUrl: location.origin, apiAppIdUri: 'api://ruche-harness' };
      // exportName of each component, from the manifests (checked by the test).
      var parts = [
        ['a', 'feed', { title: 'Feed', scope: 'home', count: 3, layout: 'list' }],
        ['a', 'deptfeed', { title: 'Department', scope: 'department', department: params.get('department') || '', count: 2, layout: 'list' }],
        ['b', 'communities', { title: 'Communities' }],
        ['c', 'announcements', { title: 'Announcements', count: 3, layout: 'list' }, strongSection],
        ['d', 'people', { title: 'Me' }],
        ['e', 'experts', { title: 'Experts', query: params.get('experts') || '', count: 3, layout: 'grid' }],
        ['f', 'kudos', { title: 'Kudos', scope: params.get('wall') ? 'community' : 'organisation', community: params.get('wall') || '', count: 4, layout: 'grid', showGive: true }],
        ['g', 'leaderboard', { title: 'Leaderboard', board: 'department', count: 5, community: params.get('community') || '', layout: 'columns' }, strongSection],
        ['d', 'person', { title: 'Colleague', person: params.get('person') || '' }],
      ];
      window.rucheHarness.webParts = {};
      parts.forEach(function (p) {
        var WebPart = lib[p[0]].default;
        var part = new WebPart();
        part.context = context;
        part.domElement = document.getElementById(p[1]);
        part.properties = Object.assign({}, api, p[2]);
        if (p[3]) part.onThemeChanged(p[3]);
        window.rucheHarness.webParts[p[1]] = part;
        part.onInit().then(function () {
          part.render();
          part.renderedOnce = true;
        });
      });
    },
  };
})();
