#!/usr/bin/env python3
"""A stand-in for an external InfraKit plugin, for the launcher's tests.

Serves JSON-RPC 2.0 over HTTP/1.1 on the unix socket $INFRAKIT_PLUGINS_DIR/<name>, like a 2017 Go
instance plugin: Handshake.Implements answers Instance/<version>, plus a few Instance methods.
Flags make it misbehave the ways real plugins do.
"""
import argparse
import json
import os
import signal
import socketserver
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler

ap = argparse.ArgumentParser()
ap.add_argument('--name', required=True, help='socket name in $INFRAKIT_PLUGINS_DIR')
ap.add_argument('--version', default='0.6.0', help='Instance interface version to announce')
ap.add_argument('--tag', default='', help='marks the process so tests can find it')
ap.add_argument('--crash-after', type=float, help='exit this many seconds after listening')
ap.add_argument('--exit-code', type=int, default=3)
ap.add_argument('--spam', type=int, default=0, help='print this many lines to stdout before listening')
ap.add_argument('--junk', action='store_true', help='print binary junk to stdout before listening')
ap.add_argument('--long-line', type=int, default=0, help='print one line this long before listening')
ap.add_argument('--no-listen', action='store_true', help='never listen (start timeout)')
ap.add_argument('--listen-delay', type=float, default=0)
ap.add_argument('--ignore-term', action='store_true', help='ignore SIGTERM')
ap.add_argument('--old-handshake', action='store_true', help='only Plugin.Implements, like pre-2017 plugins')
ap.add_argument('--leave-socket', action='store_true', help='do not remove the socket on SIGTERM')
args = ap.parse_args()

plugins_dir = os.environ['INFRAKIT_PLUGINS_DIR']
path = os.path.join(plugins_dir, args.name)
print('starting %s home=%s plugins=%s cwd=%s extra=%s' % (
    args.name, os.environ.get('INFRAKIT_HOME'), plugins_dir, os.getcwd(), os.environ.get('IK_EXTRA', '')),
    flush=True)
print('hello from stderr', file=sys.stderr, flush=True)

if args.junk:
    sys.stdout.flush()
    sys.stdout.buffer.write(bytes(range(256)) * 64 + b'\x1b[31mred\x1b[0m\n')
    sys.stdout.buffer.flush()
if args.long_line:
    sys.stdout.write('L' * args.long_line + '\n')
    sys.stdout.flush()
if args.spam:
    chunk = []
    for i in range(args.spam):
        chunk.append('spam line %d\n' % i)
        if len(chunk) == 1000:
            sys.stdout.write(''.join(chunk))
            chunk = []
    sys.stdout.write(''.join(chunk))
    sys.stdout.flush()


def on_term(signum, frame):
    print('got SIGTERM', flush=True)
    if not args.leave_socket:
        try:
            os.unlink(path)
        except OSError:
            pass
    os._exit(0)


if args.ignore_term:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
else:
    signal.signal(signal.SIGTERM, on_term)

if args.no_listen:
    print('booting, but never listening', flush=True)
    while True:
        time.sleep(3600)

time.sleep(args.listen_delay)


def dispatch(method):
    api = {'Name': 'Instance', 'Version': args.version}
    if method == 'Handshake.Implements' and not args.old_handshake:
        return {'APIs': [api]}, None
    if method == 'Handshake.Types' and not args.old_handshake:
        return {'Types': {'Instance/' + args.version: ['.']}}, None
    if method == 'Plugin.Implements':
        return {'Interfaces': [api]}, None
    if method == 'Instance.Validate':
        return {'OK': True}, None
    if method == 'Instance.DescribeInstances':
        return {'Descriptions': []}, None
    if method == 'Instance.Provision':
        return {'ID': 'instance-1'}, None
    # the 2017 Go server's answer to an unknown service
    return None, {'code': -32000, 'message': 'rpc: can\'t find service "%s"' % method, 'data': None}


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get('Content-Length', '0'))
        req = json.loads(self.rfile.read(n))
        method = req.get('method')
        print('handled %s' % method, flush=True)
        result, error = dispatch(method)
        reply = {'jsonrpc': '2.0', 'id': req.get('id')}
        if error is None:
            reply['result'] = result
        else:
            reply['error'] = error
        data = (json.dumps(reply) + '\n').encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


os.makedirs(plugins_dir, mode=0o700, exist_ok=True)
server = Server(path, Handler)
os.chmod(path, 0o600)
print('listening at %s' % path, flush=True)
if args.crash_after is not None:
    threading.Timer(args.crash_after, lambda: os._exit(args.exit_code)).start()
server.serve_forever()
