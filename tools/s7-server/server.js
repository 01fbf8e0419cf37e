'use strict';
// A real S7 protocol server (snap7, through node-snap7) for the gateway's tests.
// Usage: node server.js --port 10102 --db 1:256 --db 2:64
// Prints "READY <port>" once listening, then obeys one command per stdin line and answers one line:
//   SET <db> <offset> <hex>   -> OK           write bytes into a DB (as the PLC program would)
//   GET <db> <offset> <len>   -> HEX <hex>    read bytes of a DB (to check what a client wrote)
//   STOP                      -> STOPPED      stop listening and drop every client (the PLC goes away)
//   START                     -> STARTED      listen again; DB contents are kept
//   CLIENTS                   -> CLIENTS <n>  connected clients
// Exits when stdin closes, so a test that dies never leaves the server behind.
const snap7 = require('node-snap7');
const readline = require('readline');

const args = process.argv.slice(2);
let port = 102;
const dbs = new Map();
for (let i = 0; i < args.length; i += 2) {
  if (args[i] === '--port') {
    port = parseInt(args[i + 1], 10);
  } else if (args[i] === '--db') {
    const [number, size] = args[i + 1].split(':').map((v) => parseInt(v, 10));
    dbs.set(number, Buffer.alloc(size));
  } else {
    console.error('unknown argument ' + args[i]);
    process.exit(2);
  }
}

const server = new snap7.S7Server();
if (!server.SetParam(server.LocalPort, port)) {
  console.error("cannot set port " + port);
  process.exit(2);
}
for (const [number, buffer] of dbs) {
  server.RegisterArea(server.srvAreaDB, number, buffer);
}

function start() {
  if (!server.StartTo('127.0.0.1')) {
    console.error('cannot listen on 127.0.0.1:' + port);
    process.exit(1);
  }
}

function area(db) {
  if (!dbs.has(db)) {
    throw new Error('no DB' + db);
  }
  return server.GetArea(server.srvAreaDB, db);
}

start();
console.log('READY ' + port);

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [command, ...rest] = line.trim().split(/\s+/);
  try {
    if (command === 'SET') {
      const db = parseInt(rest[0], 10);
      const offset = parseInt(rest[1], 10);
      const content = area(db);
      Buffer.from(rest[2], 'hex').copy(content, offset);
      server.SetArea(server.srvAreaDB, db, content);
      console.log('OK');
    } else if (command === 'GET') {
      const db = parseInt(rest[0], 10);
      const offset = parseInt(rest[1], 10);
      const length = parseInt(rest[2], 10);
      console.log('HEX ' + area(db).subarray(offset, offset + length).toString('hex'));
    } else if (command === 'STOP') {
      server.Stop();
      console.log('STOPPED');
    } else if (command === 'START') {
      start();
      console.log('STARTED');
    } else if (command === 'CLIENTS') {
      console.log('CLIENTS ' + server.ClientsCount());
    } else {
      console.log('ERROR unknown command ' + command);
    }
  } catch (e) {
    console.log('ERROR ' + e.message);
  }
});
lines.on('close', () => {
  server.Stop();
  process.exit(0);
});
