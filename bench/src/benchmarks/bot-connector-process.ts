/**
 * The local Bot Connector (throttling like Teams) in its own process for the bot benchmark,
 * so that the measured process holds only Ruche. Options come as JSON in argv[2]; the URL
 * goes back over IPC. "stats" answers how many activities were accepted and throttled, and
 * when (epoch milliseconds, sub-millisecond precision) each conversation first got one.
 */
import { startProactiveConnector, type ProactiveConnectorOptions } from '@ruche/tests/bot-connector';

const options = JSON.parse(process.argv[2] ?? '{}') as ProactiveConnectorOptions;
const connector = await startProactiveConnector(options);
const firstArrival = new Map<string, number>();
connector.onDelivered((d) => {
  if (!firstArrival.has(d.conversationId)) firstArrival.set(d.conversationId, performance.timeOrigin + d.at);
});
process.send?.({ url: connector.url });
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stats') {
    const throttled = [...connector.throttled.values()].reduce((a, b) => a + b, 0);
    const distinctIds = new Set(connector.delivered.map((d) => d.key ?? d.id)).size;
    process.send?.({ stats: { delivered: connector.delivered.length, distinctIds, throttled, firstArrival: Object.fromEntries(firstArrival) } });
  }
  if (message.type === 'reset') {
    connector.reset();
    firstArrival.clear();
    process.send?.({ reset: true });
  }
  if (message.type === 'close') void connector.close().then(() => process.exit(0));
});
