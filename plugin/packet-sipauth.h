/* Entry points of the SIPAUTH protocol, called by the plugin loader. */
#ifndef SIPAUTH_PACKET_SIPAUTH_H
#define SIPAUTH_PACKET_SIPAUTH_H

void proto_register_sipauth(void);
void proto_reg_handoff_sipauth(void);

#endif
