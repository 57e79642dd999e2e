/* The credentials table (Protocols > SIPAUTH > Credentials): a UAT whose rows become the core's secrets. */
#ifndef SIPAUTH_CREDENTIALS_UAT_H
#define SIPAUTH_CREDENTIALS_UAT_H

#include <epan/prefs.h>
#include "sipauth/secrets.h"

void sa_credentials_uat_register(module_t *module);
/* The table as the UAT holds it now; NULL when it is empty. */
const sa_secrets_t *sa_credentials_uat_secrets(void);

#endif
