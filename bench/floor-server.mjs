// The latency floor of the API benchmark: the smallest HTTP server that answers POST /predict,
// with a fixed body of the same size as the real API's answer. Timed with the same load generator
// at the same rate, in rounds interleaved with the real API's, it shows how much of the real p99
// is this machine (load generator, loopback, scheduling on shared cores) rather than the API.
//
//   node bench/floor-server.mjs PORT     # prints "ready" once it listens on 127.0.0.1:PORT

import http from 'node:http';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) throw new Error('usage: node bench/floor-server.mjs PORT');
const answer = JSON.stringify({ prediction: 0, probability: 0.13496266970676785 });

http
  .createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  })
  .listen(port, '127.0.0.1', () => console.log('ready'));
