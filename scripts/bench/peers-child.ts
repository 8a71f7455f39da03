// The crash probe's child: runs one operation of one library and, right after
// the effect's INSERT, says EFFECT on stdout and sleeps until the parent kills
// it with SIGKILL (ours: inside the layer's transaction, before its commit;
// the peers: after the effect's transaction committed, before the library
// records completion). Started by scripts/bench/peers.ts as
// `node --import tsx scripts/bench/peers-child.ts <library> <key>` (one
// process, so SIGKILL reaches the process that holds the operation).
import { PAYLOAD, openDb, openRunner, type Library } from './peers-runners';

const [library, key] = process.argv.slice(2) as [Library | undefined, string | undefined];
const url = process.env.PEERS_DB_URL;
const userId = process.env.PEERS_USER_ID;
if (!library || !key || !url || !userId) {
  console.error('usage: PEERS_DB_URL=… PEERS_USER_ID=… node --import tsx scripts/bench/peers-child.ts <library> <key>');
  process.exit(2);
}
process.env.LOG_LEVEL ??= 'silent';
const { db, end } = openDb(url, 2);
const runner = await openRunner(library, db, userId, async () => {
  process.stdout.write('EFFECT\n');
  await new Promise((resolve) => setTimeout(resolve, 120_000));
});
const outcome = await runner.run({ key, payload: PAYLOAD });
// Only reached when nobody killed us: the parent reports it.
process.stdout.write(`DONE ${outcome.kind} ${outcome.detail}\n`);
await runner.close();
await end();
