/*
 * vpcflow.h -- VPC Flow Logs records into normalized events.
 *
 * Flow logs are space-separated text.  Files delivered to S3 start with a
 * header line naming the fields ("version account-id interface-id ...");
 * the header may repeat further down (concatenated files) and each one
 * applies to the lines after it.  Without a header the default version 2
 * format is assumed, or the format the caller declares (--flow-format, for
 * CloudWatch Logs exports, which carry no header).  When the caller
 * declares none, header-less lines with the column count of one of the
 * console's "all fields" layouts (versions 3, 4, 5, 7, 8: 21, 25, 29, 39,
 * 40 columns; Transit Gateway: 36) are read in that layout.  Every
 * documented field of versions 2 to 8 is known, Transit Gateway fields
 * included (the fields without an id here count as VG_FF_OTHER); unknown
 * header names are accepted and their values ignored.  "-" means absent.
 * NODATA and SKIPDATA records are delivered as events with status set and
 * no addresses.  CloudWatch Logs exports wrap each record: lines that begin
 * with an ISO-8601 timestamp and a space have it stripped.
 */
#ifndef VG_DECODE_VPCFLOW_H
#define VG_DECODE_VPCFLOW_H

#include "../vg.h"
#include "../core/event.h"

/* Field ids, in the order AWS documents them (bit positions of
 * vg_flow.present).  VG_FF_OTHER marks a header name vigil does not use. */
#define VG_FLOW_FIELDS(X)                                               \
	X(VERSION, "version") X(ACCOUNT_ID, "account-id")                 \
	X(INTERFACE_ID, "interface-id") X(SRCADDR, "srcaddr")             \
	X(DSTADDR, "dstaddr") X(SRCPORT, "srcport") X(DSTPORT, "dstport") \
	X(PROTOCOL, "protocol") X(PACKETS, "packets") X(BYTES, "bytes")   \
	X(START, "start") X(END, "end") X(ACTION, "action")               \
	X(LOG_STATUS, "log-status") X(VPC_ID, "vpc-id")                   \
	X(SUBNET_ID, "subnet-id") X(INSTANCE_ID, "instance-id")           \
	X(TCP_FLAGS, "tcp-flags") X(TYPE, "type")                         \
	X(PKT_SRCADDR, "pkt-srcaddr") X(PKT_DSTADDR, "pkt-dstaddr")       \
	X(REGION, "region") X(AZ_ID, "az-id")                             \
	X(SUBLOCATION_TYPE, "sublocation-type")                           \
	X(SUBLOCATION_ID, "sublocation-id")                               \
	X(PKT_SRC_AWS_SERVICE, "pkt-src-aws-service")                     \
	X(PKT_DST_AWS_SERVICE, "pkt-dst-aws-service")                     \
	X(FLOW_DIRECTION, "flow-direction")                               \
	X(TRAFFIC_PATH, "traffic-path")                                   \
	X(REJECT_REASON, "reject-reason")

enum vg_flow_field {
#define VG_FF_ENUM(id, name) VG_FF_##id,
	VG_FLOW_FIELDS(VG_FF_ENUM)
#undef VG_FF_ENUM
	VG_FF_OTHER, /* any other documented or future field: skipped */
	VG_FF_COUNT
};

#define VG_FLOW_MAX_FIELDS 64

/* A record layout: which field each column holds. */
struct vg_flow_format {
	uint8_t n;
	uint8_t field[VG_FLOW_MAX_FIELDS]; /* enum vg_flow_field */
};

/* vg_vpcflow_default_format -- the version 2 default format. */
void vg_vpcflow_default_format(struct vg_flow_format *fmt);

/* vg_vpcflow_parse_format -- a header line or a --flow-format value: field
 * names separated by spaces (the ${name} form AWS's console shows is
 * accepted too).  Returns VG_OK, or VG_EFORMAT with *why set (a static
 * string) when it is not a field list. */
int vg_vpcflow_parse_format(const char *text, size_t len, struct vg_flow_format *fmt, const char **why) VG_WUR;

/* vg_vpcflow_sniff -- true when buf (a decompressed file) looks like
 * flow-log text: among its first 16 non-blank lines, which do not start
 * with JSON, a header line or a line that decodes as a record. */
bool vg_vpcflow_sniff(const char *buf, size_t len);

/* vg_vpcflow_decode_line -- one record (no newline; a CloudWatch Logs
 * timestamp in front is skipped) into ev, which the function clears first.
 * fmt NULL means the default format.  Views in ev point into line.
 * Returns VG_OK, or VG_EFORMAT / VG_ETYPE with *why (a static string)
 * naming the field, e.g. "dstport: not a port number". */
int vg_vpcflow_decode_line(const struct vg_flow_format *fmt, const char *line, size_t len, struct vg_event *ev,
			   const char **why) VG_WUR;

/* vg_vpcflow_decode_text -- every line of a flow-log file: header lines
 * switch the format, blank lines are skipped, others go to sink with
 * their 1-based line number (sink->bad with a static reason for a line
 * that does not decode; the next line is decoded all the same).  fmt is
 * the format to assume before the first header (NULL: the default, and
 * the all-fields layouts by column count).  One event serves every line:
 * it is cleared once, and before each record the members a flow record
 * fills (source, time_ms, account, region, src_ip, flow) are reset; the
 * sink may set file and record_no, and should leave the rest alone.
 * Returns VG_OK. */
int vg_vpcflow_decode_text(const char *buf, size_t len, const struct vg_flow_format *fmt,
			   const struct vg_event_sink *sink, void *ctx);

#endif /* VG_DECODE_VPCFLOW_H */
