import { BicepSyntaxError, parseBicep, prop, text } from './bicep.js';

describe('parseBicep', () => {
  test('reads params with decorators, vars, resources with API versions, modules and outputs', () => {
    const file = parseBicep(`
targetScope = 'resourceGroup'

@description('Name, e.g. ruche')
@minLength(3)
param name string

@secure()
param password string = ''

@allowed([
  'a'
  'b'
])
param mode string = 'a'

var settings = mode == 'a' ? {
  ONE: '1'
} : {
  TWO: '2'
}

// A comment with a quote: don't stop here
resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: '\${name}-api'
  properties: {
    enabled: true
    count: 2
    url: 'https://\${name}.example/api/messages'
    list: ['x', 'y']
    merged: union(settings, {
      THREE: '3'
    })
  }
}

resource rules 'Microsoft.Sql/servers/firewallRules@2023-05-01' = [
  for (ip, i) in ips: if (mode == 'a') {
    name: 'rule-\${i}'
  }
]

module child 'modules/child.bicep' = if (mode == 'b') {
  name: 'child'
  params: {
    name: name
  }
}

#disable-next-line outputs-should-not-contain-secrets
output url string = site.properties.defaultHostName
`);
    expect(file.targetScope).toBe('resourceGroup');
    expect(file.params.map((p) => [p.name, p.type, p.secure])).toEqual([
      ['name', 'string', false],
      ['password', 'string', true],
      ['mode', 'string', false],
    ]);
    expect(file.params[0]!.decorators).toEqual([
      { name: 'description', args: "'Name, e.g. ruche'" },
      { name: 'minLength', args: '3' },
    ]);
    expect(file.params[2]!.decorators[0]!.args.replace(/\s+/g, ' ')).toBe("[ 'a' 'b' ]");
    const settings = file.vars[0]!.value;
    expect(settings.kind).toBe('expression');
    expect(settings.kind === 'expression' && settings.objects.map((o) => [...o.properties.keys()])).toEqual([['ONE'], ['TWO']]);
    const site = file.resources[0]!;
    expect([site.type, site.apiVersion, site.existing]).toEqual(['Microsoft.Web/sites', '2023-12-01', false]);
    expect(prop(site.body, 'name')).toEqual({ kind: 'string', value: '${name}-api', interpolated: true });
    expect(prop(site.body, 'properties.enabled')).toEqual({ kind: 'bool', value: true });
    expect(prop(site.body, 'properties.count')).toEqual({ kind: 'number', value: 2 });
    expect(text(prop(site.body, 'properties.url'))).toBe('https://${name}.example/api/messages');
    expect(prop(site.body, 'properties.list')).toEqual({
      kind: 'array',
      items: [
        { kind: 'string', value: 'x', interpolated: false },
        { kind: 'string', value: 'y', interpolated: false },
      ],
    });
    const merged = prop(site.body, 'properties.merged');
    expect(merged?.kind === 'expression' && merged.text.startsWith('union(settings, {')).toBe(true);
    expect(merged?.kind === 'expression' && [...merged.objects[0]!.properties.keys()]).toEqual(['THREE']);
    expect(file.resources[1]).toMatchObject({ loop: '(ip, i) in ips', condition: "mode == 'a'" });
    expect(file.modules[0]).toMatchObject({ symbol: 'child', path: 'modules/child.bicep', condition: "mode == 'b'" });
    expect(file.outputs[0]).toMatchObject({ name: 'url', type: 'string' });
    expect(text(file.outputs[0]!.value)).toBe('site.properties.defaultHostName');
  });

  test('reads .bicepparam files', () => {
    const file = parseBicep(`using './main.bicep'\nparam name = readEnvironmentVariable('NAME', 'ruche')\nparam count = 2\n`);
    expect(file.using).toBe('./main.bicep');
    expect(file.params.map((p) => [p.name, p.type, text(p.value)])).toEqual([
      ['name', undefined, "readEnvironmentVariable('NAME', 'ruche')"],
      ['count', undefined, '2'],
    ]);
  });

  test('names the line of a syntax error', () => {
    expect(() => parseBicep(`param a string\n\nresource x 'Microsoft.Web/sites' = {\n}\n`)).toThrow(new BicepSyntaxError('resource x: type without an API version', 3));
    expect(() => parseBicep(`var a = {\n  b: 'unterminated\n}\n`)).toThrow(/line 2: unterminated string/);
    expect(() => parseBicep(`var a = {\n  b: 1\n  b: 2\n}\n`)).toThrow(/line 3: property "b" given twice/);
    expect(() => parseBicep(`frobnicate x\n`)).toThrow(/line 1: unknown declaration "frobnicate"/);
  });
});
