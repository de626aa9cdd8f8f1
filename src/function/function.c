/* SPDX-License-Identifier: MIT */
/*
 * The registry of function types: the one list, in the order of enum
 * function_type, and the lookups every consumer of the schema shares.
 */
#include <errno.h>
#include <string.h>

#include "function/function.h"
#include "util.h"

static const struct function_type_info *const function_types[] = {
	[FUNCTION_ECM] = &function_type_ecm,
	[FUNCTION_NCM] = &function_type_ncm,
	[FUNCTION_EEM] = &function_type_eem,
	[FUNCTION_SUBSET] = &function_type_subset,
	[FUNCTION_RNDIS] = &function_type_rndis,
	[FUNCTION_ACM] = &function_type_acm,
	[FUNCTION_GSER] = &function_type_gser,
	[FUNCTION_OBEX] = &function_type_obex,
	[FUNCTION_MASS_STORAGE] = &function_type_mass_storage,
	[FUNCTION_HID] = &function_type_hid,
	[FUNCTION_MIDI] = &function_type_midi,
	[FUNCTION_LOOPBACK] = &function_type_loopback,
	[FUNCTION_UAC2] = &function_type_uac2,
	[FUNCTION_FFS] = &function_type_ffs,
	[FUNCTION_PRINTER] = &function_type_printer,
	[FUNCTION_SOURCESINK] = &function_type_sourcesink,
	[FUNCTION_UAC1] = &function_type_uac1,
	[FUNCTION_UVC] = &function_type_uvc,
};

_Static_assert(sizeof(function_types) / sizeof(function_types[0]) ==
		       FUNCTION_TYPE_COUNT,
	       "every function type has a schema");

const struct function_type_info *function_type_info(enum function_type type)
{
	if ((unsigned int)type >= FUNCTION_TYPE_COUNT)
		return NULL;
	return function_types[type];
}

const char *function_type_configfs_name(enum function_type type)
{
	const struct function_type_info *t = function_type_info(type);

	return t ? t->name : "unknown";
}

int function_type_from_name(const char *name, enum function_type *type)
{
	for (size_t i = 0; i < FUNCTION_TYPE_COUNT; i++) {
		if (streq(name, function_types[i]->name)) {
			*type = function_types[i]->type;
			return 0;
		}
	}
	for (size_t i = 0; i < FUNCTION_TYPE_COUNT; i++) {
		const char *const *alias = function_types[i]->aliases;

		for (; alias && *alias; alias++) {
			if (streq(name, *alias)) {
				*type = function_types[i]->type;
				return 0;
			}
		}
	}
	return -EINVAL;
}

bool function_type_is_network(enum function_type type)
{
	const struct function_type_info *t = function_type_info(type);

	return t && t->network;
}

const struct function_attr *
function_attr_find(const struct function_type_info *t, const char *key,
		   size_t *index)
{
	for (size_t i = 0; t && i < t->n_attrs; i++) {
		if (streq(t->attrs[i].key, key)) {
			if (index)
				*index = i;
			return &t->attrs[i];
		}
	}
	return NULL;
}

long function_attr_number(const struct profile_function *f, size_t index,
			  long fallback)
{
	const struct function_type_info *t = function_type_info(f->type);
	const struct function_attr *a;

	if (!t || index >= t->n_attrs)
		return fallback;
	a = &t->attrs[index];
	if (f->values && f->values[index].line)
		return f->values[index].number;
	return a->flags & FUNCTION_ATTR_DEFAULT ? a->def : fallback;
}

void function_endpoints_add(struct endpoint_count *c, enum endpoint_kind kind,
			    unsigned int n)
{
	c->n[kind] += n;
}

char *function_type_list(void)
{
	size_t len = 1;
	char *list;

	for (size_t i = 0; i < FUNCTION_TYPE_COUNT; i++)
		len += strlen(function_types[i]->name) + 2;
	list = xcalloc(1, len);
	for (size_t i = 0; i < FUNCTION_TYPE_COUNT; i++) {
		if (i)
			strcat(list, ", ");
		strcat(list, function_types[i]->name);
	}
	return list;
}
