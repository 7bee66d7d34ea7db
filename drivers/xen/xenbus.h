/*
 * The frontend's half of a PV device's handshake through xenstore
 * (xenbus.c): find the device the toolstack made, publish what the
 * backend needs, and follow the backend's XenbusState
 * (XENBUS_STATE_* in vmb/xen.h) until Connected, then Closed at the end.
 */
#ifndef DRIVERS_XEN_XENBUS_H
#define DRIVERS_XEN_XENBUS_H

#include <stdbool.h>
#include <stddef.h>

/* How long a frontend waits for its backend at each step of the
 * handshake (InitWait, Connected): dom0's hotplug scripts run first. */
#define XENBUS_CONNECT_MS 10000

struct xenbus_dev {
	char node[48];	  /* the frontend, relative to the domain: "device/vif/0" */
	char backend[96]; /* "/local/domain/0/backend/vif/1/0" */
	unsigned backend_id;
};

/* The nth (from 0, by number) device of type ("vif", "vbd"): false and
 * why naming what the domain has ("no vif device in xenstore (device/
 * has: vbd)"). */
bool xenbus_find(const char *type, unsigned nth, struct xenbus_dev *d, char *why, size_t why_len);
/* The backend's XenbusState, -1 when unreadable. */
int xenbus_backend_state(const struct xenbus_dev *d);
bool xenbus_read_backend(const struct xenbus_dev *d, const char *key, char *value, size_t len,
			 char *why, size_t why_len);
/* Write the keys under the frontend's node and state Initialised in one
 * transaction, run again (a few times) while xenstored answers EAGAIN. */
bool xenbus_publish(struct xenbus_dev *d, const char *const *keys, const char *const *values,
		    unsigned n, char *why, size_t why_len);
bool xenbus_set_state(struct xenbus_dev *d, int state, char *why, size_t why_len);
/* Wait until the backend is in state want, at most timeout_ms: *seen is
 * the last state read (-1 none); the why of a timeout names it. */
bool xenbus_wait_backend(struct xenbus_dev *d, int want, unsigned timeout_ms, int *seen, char *why,
			 size_t why_len);
/* Closing, the backend's Closing or Closed (bounded), then Closed: what
 * dom0 waits for before it can destroy the domain cleanly. */
void xenbus_close(struct xenbus_dev *d);
/* A state's name ("InitWait"), "?" for a number outside the list. */
const char *xenbus_state_name(int state);
/* This domain's PV devices as "vif/0 (backend d0 state InitWait), ..."
 * into out ("" when it has none); false and why when xenstore fails. */
bool xenbus_describe(char *out, size_t len, char *why, size_t why_len);

#endif
