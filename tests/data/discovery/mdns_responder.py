#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# A fake, for tests only: a minimal mDNS responder: answers PTR questions for _workstation._tcp.local
# and A questions for HOST.local, for at most LIFETIME seconds.
import socket, struct, sys, time
host, ip, lifetime = sys.argv[1], sys.argv[2], float(sys.argv[3])
def name(n):
    return b''.join(bytes([len(l)]) + l.encode() for l in n.split('.')) + b'\0'
def rr(n, t, data, ttl=10):
    return name(n) + struct.pack('>HHIH', t, 1, ttl, len(data)) + data
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('', 5353))
mreq = struct.pack('4s4s', socket.inet_aton('224.0.0.251'), socket.inet_aton(ip))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
s.settimeout(0.2)
print('ready', flush=True)
end = time.time() + lifetime
inst = f'{host} [00:00:00:00:00:00]._workstation._tcp.local'
while time.time() < end:
    try:
        data, src = s.recvfrom(9000)
    except socket.timeout:
        continue
    if len(data) < 12 or data[2] & 0x80:
        continue
    qid, = struct.unpack('>H', data[:2])
    ans = []
    if b'_workstation' in data:
        ans = [rr('_workstation._tcp.local', 12, name(inst)),
               rr(inst, 33, struct.pack('>HHH', 0, 0, 9) + name(host + '.local')),
               rr(host + '.local', 1, socket.inet_aton(ip))]
    elif host.encode() in data:
        ans = [rr(host + '.local', 1, socket.inet_aton(ip))]
    if not ans:
        continue
    qdcount, = struct.unpack('>H', data[4:6])
    # legacy unicast: repeat id and questions, answer to the source port
    off = 12
    for _ in range(qdcount):
        while data[off] != 0: off += data[off] + 1
        off += 5
    msg = struct.pack('>HHHHHH', qid, 0x8400, qdcount, len(ans), 0, 0) + data[12:off] + b''.join(ans)
    s.sendto(msg, src)
