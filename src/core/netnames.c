/*
 * netnames.c -- protocol and port names (core/netnames.h).
 *
 * The ports are those GuardDuty findings name and those vigil's network
 * detectors reason about; both tables are sorted so look-ups can bisect.
 */
#include "../vg.h"
#include "netnames.h"

#include <stdlib.h>

struct name16 {
	uint16_t n;
	const char *name;
};

static const struct name16 ports[] = {
	{20, "FTP-DATA"}, {21, "FTP"}, {22, "SSH"}, {23, "Telnet"}, {25, "SMTP"}, {53, "DNS"},
	{80, "HTTP"}, {110, "POP3"}, {111, "RPC"}, {123, "NTP"}, {135, "MSRPC"}, {137, "NetBIOS"},
	{139, "NetBIOS"}, {143, "IMAP"}, {161, "SNMP"}, {389, "LDAP"}, {443, "HTTPS"}, {445, "SMB"},
	{465, "SMTPS"}, {587, "SMTP"}, {636, "LDAPS"}, {853, "DNS-over-TLS"}, {993, "IMAPS"}, {995, "POP3S"},
	{1389, "LDAP"}, {1433, "MSSQL"}, {1521, "Oracle"}, {2049, "NFS"}, {2375, "Docker"}, {2376, "Docker"},
	{3306, "MySQL"}, {3389, "RDP"}, {4444, "Metasploit"}, {5432, "PostgreSQL"}, {5900, "VNC"},
	{5985, "WinRM"}, {5986, "WinRM"}, {6379, "Redis"}, {8080, "HTTP"}, {8088, "YARN"}, {8443, "HTTPS"},
	{9001, "Tor"}, {9030, "Tor"}, {9200, "Elasticsearch"}, {9300, "Elasticsearch"}, {11211, "Memcached"},
	{27017, "MongoDB"},
};

static const struct name16 protocols[] = {
	{1, "ICMP"}, {2, "IGMP"}, {4, "IPIP"}, {6, "TCP"}, {17, "UDP"}, {41, "IPv6"}, {47, "GRE"},
	{50, "ESP"}, {51, "AH"}, {58, "ICMPv6"}, {89, "OSPF"}, {132, "SCTP"},
};

static int cmp16(const void *key, const void *elem)
{
	const struct name16 *e = elem;
	return (int)*(const uint16_t *)key - (int)e->n;
}

static const char *find(const struct name16 *t, size_t n, uint16_t v)
{
	const struct name16 *e = bsearch(&v, t, n, sizeof(*t), cmp16);
	return e ? e->name : "Unknown";
}

const char *vg_port_name(uint16_t port) { return find(ports, VG_ARRAY_LEN(ports), port); }

const char *vg_protocol_name(uint8_t proto) { return find(protocols, VG_ARRAY_LEN(protocols), proto); }
