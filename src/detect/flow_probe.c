/*
 * flow_probe.c -- known scanners reaching open ports:
 * Recon:EC2/PortProbeUnprotectedPort and PortProbeEMRUnprotectedPort.
 *
 * A port is unprotected when security groups, network ACLs and the host
 * let a probe through: the flow log shows the inbound connection
 * ACCEPTed.  Who is probing comes from threat lists of category
 * `scanner` (GuardDuty uses its own list of internet scanners; vigil uses
 * the ones the user loads).  Web ports 80 and 443 are meant to be open
 * and are left out, as GuardDuty does; Elasticsearch's 9200/9300 raise the
 * severity, and ports of EMR's web interfaces have their own type.  Each
 * finding lists the ports the prober reached so far (a few, kept in the
 * state store).
 */
#include "../vg.h"
#include "detectors_int.h"
#include "flow_util_int.h"
#include "intel_cache_int.h"

static const struct vg_finding_type probe = {
	.name = "Recon:EC2/PortProbeUnprotectedPort",
	.severity = 2,
	.severity_varies = true,
	.resource = VG_RES_INSTANCE,
	.action = VG_ACT_PORT_PROBE,
	.title = "Unprotected port on EC2 instance {resource} is being probed.",
	.description = "Port {port} of EC2 instance {resource} is not blocked by security groups, network ACLs or the "
		       "host, and a known internet scanner ({remote}) is probing it.",
	.trigger = "An address on a `scanner` list connects to an instance port other than 80 and 443 and the flow is "
		   "accepted; High for Elasticsearch ports 9200 and 9300.",
};

static const struct vg_finding_type probe_emr = {
	.name = "Recon:EC2/PortProbeEMRUnprotectedPort",
	.severity = 8,
	.resource = VG_RES_INSTANCE,
	.action = VG_ACT_PORT_PROBE,
	.title = "EMR-related port on EC2 instance {resource} is unblocked and being probed.",
	.description = "EMR port {port} of EC2 instance {resource} is not blocked and a known internet scanner "
		       "({remote}) is probing it. Open EMR interfaces let anyone run code on the cluster.",
	.trigger = "As PortProbeUnprotectedPort, for the ports of EMR's web interfaces (8088 YARN, 8042, 8890, 9870, "
		   "18080, 20888, 50070).",
};

const struct vg_finding_type *const vg__flow_probe_types[] = {&probe, &probe_emr, NULL};

static const uint16_t emr_ports[] = {8042, 8088, 8890, 9870, 18080, 20888, 50070};

static bool is_emr(uint16_t port)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(emr_ports); i++)
		if (emr_ports[i] == port)
			return true;
	return false;
}

/* Ports a prober reached on one instance, for the finding's details. */
struct probed {
	uint16_t port[VG_DRAFT_MAX_PROBES];
	uint8_t n;
};

#define PROBE_MEMORY_MS (24 * 3600 * 1000LL) /* a day: scanners come back */

int vg__flow_probe_init(void **out, const struct vg_detect_init *init)
{
	*out = NULL;
	if (!init->cfg->intel)
		return VG_OK; /* no scanner list, no probe findings */
	/* The state is the table of probed ports, owned by the store. */
	return vg_state_table_new(init->state, "portprobe", sizeof(struct vg__peer_key), sizeof(struct probed),
				  PROBE_MEMORY_MS, (struct vg_state_table **)out);
}

void vg__flow_probe_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			     const struct vg_emitter *out)
{
	const struct vg_flow_view *v;
	struct vg_state_table *probed = state;
	struct vg_intel_hit hit;
	if (!probed || (v = vg__flow_view(s, ev)) == NULL || v->net.direction != VG_NET_INBOUND || v->net.blocked ||
	    !v->remote_public || v->net.protocol == 1)
		return;
	uint16_t port = v->net.local_port;
	if (port == 80 || port == 443)
		return;
	if (!vg__intel_cached_ip(s, &v->net.remote_ip, &hit) || hit.list->category != VG_CAT_SCANNER)
		return;

	struct vg__peer_key k = vg__peer_key(v->entity, &v->net.remote_ip, 0);
	struct probed *p = vg_state_get(probed, &k, ev->time_ms, NULL);
	if (!p)
		return;
	bool known = false;
	for (uint8_t i = 0; i < p->n && !known; i++)
		known = p->port[i] == port;
	if (!known) {
		/* Keep the latest ports when there are more than fit. */
		if (p->n == VG_DRAFT_MAX_PROBES)
			memmove(p->port, p->port + 1, sizeof(p->port) - sizeof(p->port[0]));
		else
			p->n++;
		p->port[p->n - 1] = port;
	}

	struct vg_finding_draft d;
	char key[VG_IP_STRLEN];
	bool emr = is_emr(port);
	vg__flow_draft(&d, emr ? &probe_emr : &probe, ev, v, key);
	d.resource_role = "TARGET";
	/* High once Elasticsearch was reached, whatever came after. */
	for (uint8_t i = 0; i < p->n && !emr; i++)
		if (p->port[i] == 9200 || p->port[i] == 9300)
			d.severity = 8;
	d.n_probes = p->n;
	memcpy(d.probe_ports, p->port, sizeof(d.probe_ports));
	vg__intel_evidence(&d, &hit);
	vg_emit(out, &d);
}
