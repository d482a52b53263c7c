/**
 * Runs the Graph simulator in its own process for the graph-sync benchmark, so that the
 * measured process holds only Ruche. Options come as JSON in argv[2]; the URL goes back over IPC.
 */
import { startGraphSimulator, type GraphSimulatorOptions } from '@ruche/tests/graph-simulator';

const options = JSON.parse(process.argv[2] ?? '{}') as GraphSimulatorOptions;
const sim = await startGraphSimulator({ ...options, port: 0, record: false });
process.send?.({ url: sim.url });
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stats') process.send?.({ stats: sim.stats });
  if (message.type === 'close') void sim.close().then(() => process.exit(0));
});
