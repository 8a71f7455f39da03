// npm run webhook-worker: `npm run worker -- webhooks`, under its older name.
process.argv.splice(2, process.argv.length, 'webhooks');
await import('./worker');

export {};
