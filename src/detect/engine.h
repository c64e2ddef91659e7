/*
 * engine.h -- runs the detector table over events.
 *
 * The engine is per worker: it owns each detector's state and the scratch
 * detectors share.  The table itself (detect/registry.c) is read-only.
 */
#ifndef VG_DETECT_ENGINE_H
#define VG_DETECT_ENGINE_H

#include "../vg.h"
#include "detector.h"

struct vg_detect_engine;

/* vg_detect_engine_new -- initialise every detector with cfg (borrowed; it
 * must outlive the engine).  Caller frees with vg_detect_engine_free. */
int vg_detect_engine_new(struct vg_detect_engine **out, const struct vg_detect_config *cfg) VG_WUR;
void vg_detect_engine_free(struct vg_detect_engine *e);
/* vg_detect_event -- offer one event to every detector for its source. */
void vg_detect_event(struct vg_detect_engine *e, const struct vg_event *ev, const struct vg_emitter *out);
/* vg_detect_tick -- tell windowed detectors that time reached now_ms. */
void vg_detect_tick(struct vg_detect_engine *e, int64_t now_ms, const struct vg_emitter *out);

struct vg_state_stats; /* detect/state.h */
/* vg_detect_state -- the engine's per-entity state store (owned by the
 * engine), for saving and restoring it between runs. */
struct vg_state *vg_detect_state(struct vg_detect_engine *e);

/* vg_detect_state_stats -- memory and evictions of the per-entity state. */
void vg_detect_state_stats(const struct vg_detect_engine *e, struct vg_state_stats *out);

/* vg_detect_param_check -- VG_OK when detector has a parameter name that
 * accepts value; else VG_EINVAL with *why set (static). */
int vg_detect_param_check(const char *detector, const char *name, double value, const char **why) VG_WUR;

/* The table, read-only. */
size_t vg_detector_count(void);
const struct vg_detector *vg_detector_at(size_t i);
/* vg_finding_type_find -- type by exact GuardDuty name, or NULL. */
const struct vg_finding_type *vg_finding_type_find(const char *name);
/* vg_finding_type_all -- every type of every detector, in table order,
 * each once; returns the count written (at most max). */
size_t vg_finding_type_all(const struct vg_finding_type **out, size_t max);

#endif /* VG_DETECT_ENGINE_H */
