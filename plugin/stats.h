/* The sipauth statistics tables (-z sipauth,stat and -z sipauth,problems, and their GUI dialogs). */
#ifndef SIPAUTH_STATS_H
#define SIPAUTH_STATS_H

/* Registers the "sipauth" tap and both tables; call from the protocol registration. */
void sa_stats_register(void);

/* The tap the dissector queues each shown sa_result_t to. */
int sa_stats_tap(void);

#endif
