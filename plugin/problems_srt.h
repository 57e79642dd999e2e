/* The problem flows as a Service Response Time table: rows the GUI filters as sipauth.flow == N. */
#ifndef SIPAUTH_PROBLEMS_SRT_H
#define SIPAUTH_PROBLEMS_SRT_H

/* Registers -z sipauth,srt on the "sipauth" tap; call from the protocol registration, after sa_stats_register. */
void sa_problems_srt_register(int proto);

#endif
