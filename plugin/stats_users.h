/* The per-user and per-source tables (-z sipauth,registrations, -z sipauth,sources, and their GUI dialogs). */
#ifndef SIPAUTH_STATS_USERS_H
#define SIPAUTH_STATS_USERS_H

/* Registers the "sipauth_registrations" tap and both tables; after sa_stats_register (the sources table reads
 * the "sipauth" tap). */
void sa_stats_users_register(void);

/* The tap the dissector queues each REGISTER's sa_registration_t to. */
int sa_stats_registrations_tap(void);

#endif
