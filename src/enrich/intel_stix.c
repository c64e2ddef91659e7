/*
 * intel_stix.c -- STIX lists: STIX 2.x JSON (bundles of indicators with
 * patterns, read by intel_pattern.c, and bare cyber-observable objects)
 * through decode/json.h, and
 * STIX 1.x XML (CybOX address, domain, host name and URI objects) through
 * libxml2.
 *
 * GuardDuty documents STIX 1.x (AddressObject values, "InclusiveBetween"
 * ranges written "start##comma##end", DomainNameObj values inside
 * stix:Indicator/indicator:Observable; shared/reference/guardduty.md 5.2).
 * STIX 2.x follows the OASIS STIX 2.1 specification: indicator objects
 * with "pattern" (pattern_type "stix"), name, labels (2.0) and
 * indicator_types (2.1); SCOs ipv4-addr, ipv6-addr, domain-name and url
 * with a "value".
 *
 * STIX files are untrusted: the XML parser never touches the network,
 * never loads a DTD and never substitutes entities (text is read only from
 * the text nodes themselves, so an entity reference contributes nothing).
 */
#include "../vg.h"
#include "intel_int.h"

#include "../decode/json.h"

#include <limits.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

/* ---- STIX 2 objects ------------------------------------------------------------ */

struct stix {
	struct vg__intel *x;
	struct vg__intel_items items; /* pattern values, reused from one indicator to the next; owned */
};

static struct vg_str first_string(const struct vg_json *obj, const char *key)
{
	struct vg_json arr, v;
	struct vg_json_iter it;
	struct vg_str k, s = VG_STR_NULL;
	if (vg_json_get(obj, key, &arr) && vg_json_iter_init(&it, &arr) && vg_json_iter_next(&it, &k, &v))
		(void)vg_json_string(&v, &s);
	return s;
}

static int stix2_indicator(struct stix *S, const struct vg_json *obj, uint64_t idx)
{
	struct vg__intel *x = S->x;
	struct vg_str ptype = vg_json_get_str(obj, "pattern_type");
	if (ptype.n && !vg__intel_caseeq(ptype, "stix"))
		return VG_OK; /* snort, yara, sigma, ...: not ours */
	struct vg_str pattern = vg_json_get_str(obj, "pattern");
	if (pattern.n == 0) {
		vg__intel_bad(x, idx, "indicator without a pattern");
		return VG_OK;
	}
	struct vg_str threat = vg_json_get_str(obj, "name");
	if (threat.n == 0)
		threat = first_string(obj, "labels");
	if (threat.n == 0)
		threat = first_string(obj, "indicator_types");

	const char *why;
	int rc = vg__intel_pattern(pattern, &S->items, &why);
	if (rc != VG_OK)
		return rc;
	if (why) {
		vg__intel_bad(x, idx, why);
		return VG_OK;
	}
	for (size_t i = 0; i < S->items.n && !x->stop; i++)
		vg__intel_value(x, S->items.v[i].want, S->items.v[i].value, threat, idx);
	return VG_OK;
}

static int stix2_object(struct stix *S, const struct vg_json *obj, uint64_t idx)
{
	struct vg_str type = vg_json_get_str(obj, "type");
	int want = 0;
	if (vg_str_eqc(type, "indicator"))
		return stix2_indicator(S, obj, idx);
	if (vg_str_eqc(type, "ipv4-addr") || vg_str_eqc(type, "ipv6-addr"))
		want = VG__WANT_IP;
	else if (vg_str_eqc(type, "domain-name"))
		want = VG__WANT_DOMAIN;
	else if (vg_str_eqc(type, "url"))
		want = VG__WANT_URL;
	else
		return VG_OK; /* malware, relationship, identity, ... */
	struct vg_str v = vg_json_get_str(obj, "value");
	if (v.n == 0)
		vg__intel_bad(S->x, idx, "observable without a value");
	else
		vg__intel_value(S->x, (enum vg__intel_want)want, v, VG_STR_NULL, idx);
	return VG_OK;
}

static int stix2(struct vg__intel *x, const char *p, size_t len)
{
	struct vg_json_parser *jp;
	struct vg_json root, objs, v;
	struct vg_json_iter it;
	struct vg_str key;
	const char *why = NULL;
	struct stix S = {.x = x};
	uint64_t idx = 0;
	int rc = vg_json_parser_new(&jp, len < 4096 ? 4096 : len);
	if (rc != VG_OK)
		return rc;
	rc = vg_json_parse(jp, p, len, &root, &why);
	if (rc != VG_OK) {
		if (rc != VG_ENOMEM) {
			vg__intel_bad(x, 0, why ? why : "STIX JSON does not parse");
			rc = VG_EFORMAT;
		}
		goto out;
	}
	if (vg_json_type(&root) == VG_JSON_ARRAY) {
		objs = root;
	} else if (vg_json_type(&root) == VG_JSON_OBJECT) {
		struct vg_str type = vg_json_get_str(&root, "type");
		if (vg_str_eqc(type, "bundle")) {
			if (!vg_json_get(&root, "objects", &objs)) {
				rc = VG_OK; /* an empty bundle */
				goto out;
			}
		} else if (type.n) {
			rc = stix2_object(&S, &root, 1);
			goto out;
		} else {
			vg__intel_bad(x, 0, "JSON that is not a STIX bundle or object");
			rc = VG_EFORMAT;
			goto out;
		}
	} else {
		vg__intel_bad(x, 0, "JSON that is not a STIX bundle or object");
		rc = VG_EFORMAT;
		goto out;
	}
	if (!vg_json_iter_init(&it, &objs) || vg_json_type(&objs) != VG_JSON_ARRAY) {
		vg__intel_bad(x, 0, "STIX bundle whose objects is not an array");
		rc = VG_EFORMAT;
		goto out;
	}
	while (rc == VG_OK && !x->stop && vg_json_iter_next(&it, &key, &v)) {
		idx++;
		if (vg_json_type(&v) == VG_JSON_OBJECT)
			rc = stix2_object(&S, &v, idx);
	}
out:
	vg_free(S.items.v);
	vg_json_parser_free(jp);
	return rc;
}

/* ---- STIX 1 (XML) ----------------------------------------------------------------- */

static struct vg_str xstr(const xmlChar *s) { return vg_str_c((const char *)s); }

/* The local part of an element name (after a prefix that had no namespace
 * declaration, which libxml2 keeps in the name). */
static struct vg_str local_name(const xmlNode *n)
{
	struct vg_str s = xstr(n->name);
	const char *c = s.n ? memrchr(s.p, ':', s.n) : NULL;
	if (c)
		return (struct vg_str){c + 1, s.n - (size_t)(c + 1 - s.p)};
	return s;
}

/* True when the element's namespace URI or prefix contains sub. */
static bool ns_has(const xmlNode *n, const char *sub)
{
	if (n->ns && n->ns->href && strstr((const char *)n->ns->href, sub))
		return true;
	if (n->ns && n->ns->prefix && strstr((const char *)n->ns->prefix, sub))
		return true;
	struct vg_str name = xstr(n->name);
	const char *c = name.n ? memchr(name.p, ':', name.n) : NULL;
	return c && memmem(name.p, (size_t)(c - name.p), sub, strlen(sub));
}

/* An attribute's value as a view (its first text child), or empty. */
static struct vg_str attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		if (a->name && strcmp((const char *)a->name, name) == 0 && a->children &&
		    a->children->type == XML_TEXT_NODE && a->children->content)
			return vg__intel_trim(xstr(a->children->content));
	}
	return VG_STR_NULL;
}

/* The element's text: its direct text children only (entity references
 * and nested elements add nothing), joined in x->scratch when there are
 * several.  Empty view on failure (x->scratch failed). */
static struct vg_str text_of(struct vg__intel *x, const xmlNode *n)
{
	const xmlNode *only = NULL;
	int count = 0;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
			only = c;
			count++;
		}
	}
	if (count == 0)
		return VG_STR_NULL;
	if (count == 1)
		return xstr(only->content);
	vg_buf_reset(&x->scratch);
	for (const xmlNode *c = n->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			vg_buf_adds(&x->scratch, (const char *)c->content);
	if (x->scratch.failed)
		return VG_STR_NULL;
	return (struct vg_str){x->scratch.p, x->scratch.len};
}

struct stix1 {
	struct vg__intel *x;
	const xmlNode *indicator; /* the last stix:Indicator seen ... */
	struct vg_str title;      /* ... and its title */
	int rc;
};

/* The title of the stix:Indicator that holds n, or empty. */
static struct vg_str indicator_title(struct stix1 *S, const xmlNode *n)
{
	const xmlNode *a = n->parent;
	while (a && a->type == XML_ELEMENT_NODE && !vg_str_eqc(local_name(a), "Indicator"))
		a = a->parent;
	if (!a || a->type != XML_ELEMENT_NODE)
		return VG_STR_NULL;
	if (a == S->indicator)
		return S->title;
	S->indicator = a;
	S->title = VG_STR_NULL;
	for (const xmlNode *c = a->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && vg_str_eqc(local_name(c), "Title")) {
			/* Copied views of a single text node only: the scratch
			 * buffer is needed for the value itself. */
			for (const xmlNode *t = c->children; t; t = t->next) {
				if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content) {
					S->title = vg__intel_trim(xstr(t->content));
					break;
				}
			}
			break;
		}
	}
	return S->title;
}

/* AddressObject categories that are addresses or networks; others (e-mail,
 * mac, asn, ...) pass silently.  No category means ipv4-addr. */
static bool ip_category(struct vg_str cat)
{
	static const char *const ok[] = {"ipv4-addr", "ipv6-addr", "ipv4-net", "ipv6-net", "ipv4-netmask",
					 "ipv6-netmask", "cidr"};
	if (cat.n == 0)
		return true;
	for (size_t i = 0; i < VG_ARRAY_LEN(ok); i++)
		if (vg__intel_caseeq(cat, ok[i]))
			return true;
	return false;
}

static void stix1_value(struct stix1 *S, const xmlNode *n, int want)
{
	struct vg__intel *x = S->x;
	long ln = xmlGetLineNo(n);
	uint64_t line = ln > 0 ? (uint64_t)ln : 0;
	struct vg_str threat = indicator_title(S, n);
	struct vg_str cond = attr(n, "condition");
	struct vg_str v = text_of(x, n);
	if (x->scratch.failed) {
		if (x->scratch.failed == VG_ENOMEM)
			S->rc = VG_ENOMEM;
		else
			vg__intel_bad(x, line, "value too long");
		return;
	}
	if (!v.p)
		v = VG_STR_LIT("");
	static const char sep[] = "##comma##";
	const size_t sl = sizeof(sep) - 1;
	if (vg__intel_caseeq(cond, "inclusivebetween")) {
		const char *c = v.n ? memmem(v.p, v.n, sep, sl) : NULL;
		if (want != VG__WANT_IP || !c || memmem(c + sl, v.n - (size_t)(c + sl - v.p), sep, sl)) {
			vg__intel_bad(x, line, "InclusiveBetween needs two addresses: start##comma##end");
			return;
		}
		vg__intel_range(x, (struct vg_str){v.p, (size_t)(c - v.p)},
				(struct vg_str){c + sl, v.n - (size_t)(c + sl - v.p)}, threat, line);
		return;
	}
	if (cond.n && !vg__intel_caseeq(cond, "equals")) {
		vg__intel_bad(x, line, "unsupported condition (only Equals and InclusiveBetween)");
		return;
	}
	/* One value, or a list joined with ##comma## (apply_condition ANY). */
	const char *p = v.p, *end = v.p + v.n;
	for (;;) {
		const char *c = p < end ? memmem(p, (size_t)(end - p), sep, sl) : NULL;
		vg__intel_value(x, (enum vg__intel_want)want, (struct vg_str){p, (size_t)((c ? c : end) - p)}, threat,
				line);
		if (!c || x->stop)
			break;
		p = c + sl;
	}
}

static void stix1_element(struct stix1 *S, const xmlNode *n)
{
	struct vg_str local = local_name(n);
	if (vg_str_eqc(local, "Address_Value")) {
		if (n->parent && ip_category(attr(n->parent, "category")))
			stix1_value(S, n, VG__WANT_IP);
	} else if (vg_str_eqc(local, "Hostname_Value")) {
		stix1_value(S, n, VG__WANT_DOMAIN);
	} else if (vg_str_eqc(local, "Value")) {
		if (ns_has(n, "DomainName"))
			stix1_value(S, n, VG__WANT_DOMAIN);
		else if (ns_has(n, "URIObj") || ns_has(n, "URIObject"))
			stix1_value(S, n, VG__WANT_URL);
	}
}

static int stix1(struct vg__intel *x, const char *p, size_t len)
{
	/* No XML_PARSE_NOENT (entity substitution), XML_PARSE_DTDLOAD,
	 * XML_PARSE_DTDATTR, XML_PARSE_DTDVALID, XML_PARSE_XINCLUDE or
	 * XML_PARSE_HUGE: STIX files come from outside. */
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
			 XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_RECOVER;
	struct stix1 S = {.x = x};
	if (len > INT_MAX) {
		vg__intel_bad(x, 0, "STIX XML larger than 2 GiB");
		return VG_EFORMAT;
	}
	xmlInitParser();
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return VG_ENOMEM;
	xmlDocPtr doc = xmlCtxtReadMemory(ctxt, p, (int)len, NULL, x->from_utf16 ? "UTF-8" : NULL, opts);
	if (!ctxt->wellFormed) {
		int eline = ctxt->lastError.line > 0 ? ctxt->lastError.line : 0;
		if (ctxt->lastError.code == XML_ERR_NO_MEMORY) {
			xmlFreeDoc(doc);
			xmlFreeParserCtxt(ctxt);
			return VG_ENOMEM;
		}
		vg__intel_bad(x, (uint64_t)eline,
			      doc ? "XML not well-formed; the part before the error is used" : "XML does not parse");
	}
	xmlFreeParserCtxt(ctxt);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root) {
		xmlFreeDoc(doc);
		return VG_EFORMAT;
	}
	if (!vg_str_eqc(local_name(root), "STIX_Package") && !ns_has(root, "stix.mitre.org") &&
	    !ns_has(root, "cybox.mitre.org")) {
		vg__intel_bad(x, 1, "XML that is not a STIX package");
		xmlFreeDoc(doc);
		return VG_EFORMAT;
	}
	/* Pre-order walk without recursion. */
	const xmlNode *n = root;
	while (n && !x->stop && S.rc == VG_OK) {
		if (n->type == XML_ELEMENT_NODE)
			stix1_element(&S, n);
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n && n != root && !n->next)
			n = n->parent;
		if (!n || n == root)
			break;
		n = n->next;
	}
	xmlFreeDoc(doc);
	return S.rc;
}

int vg__intel_parse_stix(struct vg__intel *x, const char *buf, size_t len)
{
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	if (i < len && buf[i] == '<')
		return stix1(x, buf, len);
	if (i < len && (buf[i] == '{' || buf[i] == '['))
		return stix2(x, buf + i, len - i);
	vg__intel_bad(x, i < len ? 1 : 0, "not STIX: neither JSON nor XML");
	return VG_EFORMAT;
}
