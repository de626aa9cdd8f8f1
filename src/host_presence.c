/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host_presence.h"
#include "util.h"

struct host_presence {
	char *root;
	/* What the cable sources said at their last reading. */
	enum host_attached cable;
	enum host_source cable_source;
	/* The last verdict; updated: there was one. */
	enum host_attached attached;
	bool updated;
	enum host_source source;
	char *speed;
};

static const char *const host_source_names[] = {
	[HOST_SOURCE_NONE] = NULL,
	[HOST_SOURCE_UDC] = "udc",
	[HOST_SOURCE_EXTCON] = "extcon",
	[HOST_SOURCE_TYPEC] = "typec",
	[HOST_SOURCE_POWER_SUPPLY] = "power_supply",
};

const char *host_source_name(enum host_source source)
{
	return host_source_names[source];
}

static char *host_presence_read(const struct host_presence *hp,
				const char *class, const char *dev,
				const char *attr)
{
	char *path = xasprintf("%s/class/%s/%s/%s", hp->root, class, dev, attr);
	char *value = NULL;

	if (read_file_string(path, &value) < 0)
		value = NULL;
	free(path);
	return value ? str_strip(value) : NULL;
}

static int host_presence_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of ROOT/class/CLASS by name, NULL-terminated (empty when the
 * class does not exist: the board has no such device). */
static char **host_presence_list(const struct host_presence *hp,
				 const char *class)
{
	char *path = xasprintf("%s/class/%s", hp->root, class);
	char **names = xcalloc(1, sizeof(*names));
	struct dirent *e;
	size_t n = 0;
	DIR *dir = opendir(path);

	free(path);
	if (!dir)
		return names;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 2, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
		names[n] = NULL;
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), host_presence_compare);
	return names;
}

static void host_presence_list_free(char **names)
{
	for (char **p = names; *p; p++)
		free(*p);
	free(names);
}

/* "[host] device" -> "host": the kernel brackets the current choice; a
 * single choice may come without brackets. */
static void host_presence_current(const char *choices, char *out, size_t size)
{
	const char *open = strchr(choices, '['), *close;
	size_t n;

	if (open && (close = strchr(open, ']'))) {
		open++;
	} else {
		open = choices;
		close = choices + strcspn(choices, " ");
	}
	n = (size_t)(close - open);
	if (n >= size)
		n = size - 1;
	memcpy(out, open, n);
	out[n] = '\0';
}

static bool host_presence_has_word(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = text; (p = strstr(p, word)); p += n) {
		bool start = p == text || strchr(" [", p[-1]);
		bool end = p[n] == '\0' || strchr(" ]\n", p[n]);

		if (start && end)
			return true;
	}
	return false;
}

/* A Type-C port that can be a USB device: portN, its data_role naming
 * device.  Its partner is the class entry portN-partner. */
static enum host_attached host_presence_typec(const struct host_presence *hp)
{
	enum host_attached found = HOST_UNKNOWN;
	char **names = host_presence_list(hp, "typec");

	for (char **p = names; *p && found == HOST_UNKNOWN; p++) {
		char role[32], *data_role, *partner;
		bool has_partner;

		if (strncmp(*p, "port", 4) != 0 || strchr(*p, '-'))
			continue;
		data_role = host_presence_read(hp, "typec", *p, "data_role");
		if (!data_role ||
		    !host_presence_has_word(data_role, "device")) {
			free(data_role);
			continue;
		}
		host_presence_current(data_role, role, sizeof(role));
		free(data_role);
		partner = xasprintf("%s/class/typec/%s-partner", hp->root, *p);
		has_partner = access(partner, F_OK) == 0;
		free(partner);
		/* A partner we are the host of is a device, not a host. */
		found = has_partner && streq(role, "device") ? HOST_ATTACHED
							     : HOST_DETACHED;
	}
	host_presence_list_free(names);
	return found;
}

/* extcon's state: one "CABLE=0|1" line per cable the connector knows. */
static enum host_attached host_presence_extcon(const struct host_presence *hp)
{
	static const char *const host_cables[] = { "USB", "SDP", "CDP" };
	enum host_attached found = HOST_UNKNOWN;
	char **names = host_presence_list(hp, "extcon");

	for (char **p = names; *p && found == HOST_UNKNOWN; p++) {
		char *state = host_presence_read(hp, "extcon", *p, "state");
		char *line, *save = NULL;

		if (!state)
			continue;
		for (line = strtok_r(state, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *eq = strchr(line, '=');

			if (!eq)
				continue;
			*eq = '\0';
			for (size_t i = 0; i < ARRAY_SIZE(host_cables); i++) {
				if (!streq(str_strip(line), host_cables[i]))
					continue;
				if (found != HOST_ATTACHED)
					found = streq(str_strip(eq + 1), "1")
							? HOST_ATTACHED
							: HOST_DETACHED;
			}
		}
		free(state);
	}
	host_presence_list_free(names);
	return found;
}

/* A supply of type USB: VBUS.  A dedicated charger powers it too. */
static enum host_attached
host_presence_power_supply(const struct host_presence *hp)
{
	enum host_attached found = HOST_UNKNOWN;
	char **names = host_presence_list(hp, "power_supply");

	for (char **p = names; *p && found == HOST_UNKNOWN; p++) {
		char *type = host_presence_read(hp, "power_supply", *p, "type");
		char *online, *usb_type;
		char current[32] = "";

		if (!type || !streq(type, "USB")) {
			free(type);
			continue;
		}
		free(type);
		online = host_presence_read(hp, "power_supply", *p, "online");
		if (!online)
			continue;
		usb_type =
			host_presence_read(hp, "power_supply", *p, "usb_type");
		if (usb_type)
			host_presence_current(usb_type, current,
					      sizeof(current));
		if (!streq(online, "1") || streq(current, "DCP") ||
		    streq(current, "BrickID"))
			found = HOST_DETACHED;
		else
			found = HOST_ATTACHED;
		free(online);
		free(usb_type);
	}
	host_presence_list_free(names);
	return found;
}

void host_presence_rescan(struct host_presence *hp)
{
	hp->cable_source = HOST_SOURCE_TYPEC;
	hp->cable = host_presence_typec(hp);
	if (hp->cable != HOST_UNKNOWN)
		return;
	hp->cable_source = HOST_SOURCE_EXTCON;
	hp->cable = host_presence_extcon(hp);
	if (hp->cable != HOST_UNKNOWN)
		return;
	hp->cable_source = HOST_SOURCE_POWER_SUPPLY;
	hp->cable = host_presence_power_supply(hp);
	if (hp->cable == HOST_UNKNOWN)
		hp->cable_source = HOST_SOURCE_NONE;
}

struct host_presence *host_presence_new(const char *sysfs_root)
{
	struct host_presence *hp = xcalloc(1, sizeof(*hp));

	hp->root = xstrdup(sysfs_root);
	hp->attached = HOST_UNKNOWN;
	host_presence_rescan(hp);
	return hp;
}

void host_presence_free(struct host_presence *hp)
{
	if (!hp)
		return;
	free(hp->root);
	free(hp->speed);
	free(hp);
}

bool host_presence_uevent(struct host_presence *hp, const char *subsystem)
{
	if (!subsystem ||
	    (!streq(subsystem, "extcon") && !streq(subsystem, "typec") &&
	     !streq(subsystem, "power_supply")))
		return false;
	host_presence_rescan(hp);
	return true;
}

const char *host_presence_udc_detach_state(const char *udc)
{
	if (str_starts_with(udc, "dummy_udc."))
		return NULL;
	if (str_starts_with(udc, "usbip-vudc."))
		return "default";
	return "not attached";
}

enum host_attached host_presence_from_udc_state(const char *state,
						const char *detach_state)
{
	/* usb_state_string(): the states a host session goes through. */
	static const char *const host_states[] = {
		"attached",  "powered",	   "default",
		"addressed", "configured", "suspended",
	};

	if (!state || !detach_state)
		return HOST_UNKNOWN;
	if (streq(state, detach_state) || streq(state, "not attached"))
		return HOST_DETACHED;
	for (size_t i = 0; i < ARRAY_SIZE(host_states); i++)
		if (streq(state, host_states[i]))
			return HOST_ATTACHED;
	/* "reconnecting", "unauthenticated" (wireless USB), or new. */
	return HOST_UNKNOWN;
}

enum host_attached host_presence_update(struct host_presence *hp,
					const char *udc, const char *udc_state,
					bool udc_state_fresh,
					const char **event)
{
	enum host_attached attached = hp->cable, prev = hp->attached;
	enum host_source source = hp->cable_source;
	char *speed = NULL;

	if (attached == HOST_UNKNOWN && udc) {
		const char *detach_state = host_presence_udc_detach_state(udc);

		/* A state left from before the bind is trusted only when it
		 * claims no host: a host that is there changes it at once. */
		if (udc_state &&
		    (udc_state_fresh ||
		     host_presence_from_udc_state(udc_state, detach_state) ==
			     HOST_DETACHED))
			attached = host_presence_from_udc_state(udc_state,
								detach_state);
		source = attached == HOST_UNKNOWN ? HOST_SOURCE_NONE
						  : HOST_SOURCE_UDC;
	}
	if (attached == HOST_ATTACHED && udc) {
		speed = host_presence_read(hp, "udc", udc, "current_speed");
		if (speed && streq(speed, "UNKNOWN")) {
			free(speed);
			speed = NULL;
		}
	}
	free(hp->speed);
	hp->speed = speed;
	/* Not at the first verdict (the daemon's start names its own
	 * event), and not when the gadget was away in between (a `down`,
	 * then `up` on a UDC without a host, is no detach). */
	if (hp->updated && attached != prev) {
		if (attached == HOST_ATTACHED)
			*event = "host-attach";
		else if (attached == HOST_DETACHED && prev == HOST_ATTACHED)
			*event = "host-detach";
	}
	hp->updated = true;
	hp->attached = attached;
	hp->source = source;
	return attached;
}

enum host_attached host_presence_attached(const struct host_presence *hp)
{
	return hp->attached;
}

const char *host_presence_source(const struct host_presence *hp)
{
	return host_source_name(hp->source);
}

const char *host_presence_speed(const struct host_presence *hp)
{
	return hp->speed;
}
