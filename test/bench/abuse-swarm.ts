// The abusive clients, in a process of their own so their thousands of sockets never delay the
// health checks the abuse run measures. Told what to open by the environment; on the parent's
// "stop" it closes everything and answers with its figures.
import { startSwarm, type SwarmFigures, type SwarmKind } from './abuse-clients.ts';

export interface SwarmPlan {
  port: number;
  dribbleMs: number;
  sizes: Record<SwarmKind, number>;
}

const plan = JSON.parse(process.env.ABUSE_PLAN ?? '{}') as SwarmPlan;
const swarms = (Object.keys(plan.sizes) as SwarmKind[]).map((kind) =>
  startSwarm(kind, plan.sizes[kind], plan.port, plan.dribbleMs),
);

process.on('message', (message: { kind: string }) => {
  if (message.kind !== 'stop') return;
  const figures: SwarmFigures[] = swarms.map((swarm) => swarm.figures());
  for (const swarm of swarms) swarm.stop();
  process.send?.({ kind: 'figures', figures }, () => process.exit(0));
});
process.once('disconnect', () => process.exit(0));
