"""A plugin process that is not the Java runtime: an instance plugin on a unix socket, in the
manner of a 2017 Go plugin (Handshake.Implements / Handshake.Types, JSON-RPC 2.0 over HTTP/1.1).

usage: python3 foreign_plugin.py --socket PATH
       python3 foreign_plugin.py --name NAME       (socket $INFRAKIT_PLUGINS_DIR/NAME, as launched)

Instance IDs are "py-<pid>-<n>", so a test can tell which process answered. Prints "ready" once
it listens; on SIGTERM it removes its socket and exits.
"""
import argparse
import json
import os
import signal
import socketserver
import sys
from http.server import BaseHTTPRequestHandler

ap = argparse.ArgumentParser()
ap.add_argument('--socket', help='the socket path')
ap.add_argument('--name', help='the socket name in $INFRAKIT_PLUGINS_DIR')
ap.add_argument('--api-version', default='0.6.0', help='the Instance interface version to announce')
args = ap.parse_args()
if args.socket:
    path = args.socket
elif args.name:
    path = os.path.join(os.environ['INFRAKIT_PLUGINS_DIR'], args.name)
else:
    sys.exit('give --socket PATH or --name NAME')

INSTANCES = {}
COUNTER = [0]


def dispatch(method, params):
    typ = params.get('Type', '')
    if method == 'Handshake.Implements':
        return {'APIs': [{'Name': 'Instance', 'Version': args.api_version}]}, None
    if method == 'Handshake.Types':
        return {'Types': {'Instance/' + args.api_version: ['.']}}, None
    if method == 'Instance.Validate':
        return {'Type': typ, 'OK': True}, None
    if method == 'Instance.Provision':
        COUNTER[0] += 1
        iid = 'py-%d-%d' % (os.getpid(), COUNTER[0])
        INSTANCES[iid] = (params.get('Spec') or {}).get('Tags') or {}
        return {'Type': typ, 'ID': iid}, None
    if method == 'Instance.Label':
        iid = params.get('Instance')
        if iid not in INSTANCES:
            return None, {'code': -32000, 'message': 'no such instance: %s' % iid, 'data': None}
        INSTANCES[iid].update(params.get('Labels') or {})
        return {'Type': typ, 'OK': True}, None
    if method == 'Instance.DescribeInstances':
        want = params.get('Tags') or {}
        found = [{'ID': k, 'LogicalID': None, 'Tags': v} for k, v in sorted(INSTANCES.items())
                 if all(v.get(tk) == tv for tk, tv in want.items())]
        return {'Type': typ, 'Descriptions': found}, None
    if method == 'Instance.Destroy':
        iid = params.get('Instance')
        if iid not in INSTANCES:
            return None, {'code': -32000, 'message': 'no such instance: %s' % iid, 'data': None}
        del INSTANCES[iid]
        return {'Type': typ, 'OK': True}, None
    # the 2017 Go server's answer to an unknown service
    return None, {'code': -32000, 'message': 'rpc: can\'t find service "%s"' % method, 'data': None}


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get('Content-Length', '0'))
        req = json.loads(self.rfile.read(n))
        result, error = dispatch(req.get('method'), req.get('params') or {})
        reply = {'jsonrpc': '2.0', 'id': req.get('id')}
        if error is None:
            reply['result'] = result
        else:
            reply['error'] = error
        body = (json.dumps(reply, separators=(',', ':')) + '\n').encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain; charset=utf-8')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def on_term(signum, frame):
    try:
        os.unlink(path)
    except OSError:
        pass
    os._exit(0)


signal.signal(signal.SIGTERM, on_term)
if os.path.exists(path):
    os.unlink(path)  # a stale socket of an earlier run
server = Server(path, Handler)
os.chmod(path, 0o600)
print('ready', flush=True)
server.serve_forever()
