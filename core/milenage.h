/* MILENAGE (3GPP TS 35.206): the AKA functions f1-f5 and f1*, f5* of a USIM and its AuC, over AES-128. */
#ifndef SIPAUTH_MILENAGE_H
#define SIPAUTH_MILENAGE_H

#include <glib.h>

G_BEGIN_DECLS

#define SA_AKA_KEY_LEN  16   /* K, OP, OPc, RAND, CK, IK */
#define SA_AKA_SQN_LEN  6
#define SA_AKA_AMF_LEN  2
#define SA_AKA_MAC_LEN  8
#define SA_AKA_RES_LEN  8
#define SA_AKA_AK_LEN   6
#define SA_AKA_AUTN_LEN 16   /* SQN xor AK || AMF || MAC-A */

/* Every function returns FALSE only when libgcrypt refuses AES; outputs are then unset. */

/* OPc = OP xor E_K(OP). */
gboolean sa_milenage_opc(const guint8 k[16], const guint8 op[16], guint8 opc[16]);

/* f1 (MAC-A, network authentication) and f1* (MAC-S, resynchronisation); either output may be NULL. */
gboolean sa_milenage_f1(const guint8 k[16], const guint8 opc[16], const guint8 rand[16],
                        const guint8 sqn[6], const guint8 amf[2], guint8 mac_a[8], guint8 mac_s[8]);

/* f2 (RES), f3 (CK), f4 (IK), f5 (AK); any output may be NULL. */
gboolean sa_milenage_f2345(const guint8 k[16], const guint8 opc[16], const guint8 rand[16],
                           guint8 res[8], guint8 ck[16], guint8 ik[16], guint8 ak[6]);

/* f5* (the anonymity key of a resynchronisation). */
gboolean sa_milenage_f5star(const guint8 k[16], const guint8 opc[16], const guint8 rand[16], guint8 ak_s[6]);

G_END_DECLS

#endif
