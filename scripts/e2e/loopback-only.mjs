// Preloaded into Logto core (node --import): core listens on a bare port, i.e. on every interface;
// this binds such listeners to 127.0.0.1 so the test server is reachable from this machine only.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [port, host] = args;
  if (typeof port === 'number' && typeof host !== 'string') {
    return listen.call(this, port, '127.0.0.1', ...args.slice(1));
  }
  return listen.apply(this, args);
};
