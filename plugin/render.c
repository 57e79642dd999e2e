/* Shows a tracker result: the SIPAUTH tree, its expert infos and the Info column tag. */
#include "render.h"
#include "ws_version.h"
#include "sipauth/explain.h"
#include "sipauth/diameter.h"

#include <epan/expert.h>
#include <epan/to_str.h>

static int proto_sipauth = -1;

static int hf_sipauth_flow = -1;
static int hf_sipauth_role = -1;
static int hf_sipauth_attempt = -1;
static int hf_sipauth_challenge_code = -1;
static int hf_sipauth_request_frame = -1;
static int hf_sipauth_challenge_frame = -1;
static int hf_sipauth_ack_frame = -1;
static int hf_sipauth_retry_frame = -1;
static int hf_sipauth_result_frame = -1;
static int hf_sipauth_result_code = -1;
static int hf_sipauth_time_to_retry = -1;
static int hf_sipauth_outcome = -1;
static int hf_sipauth_heuristic = -1;
static int hf_sipauth_verdict = -1;
static int hf_sipauth_first_request_frame = -1;
static int hf_sipauth_final_frame = -1;
static int hf_sipauth_auth_time = -1;
static int hf_sipauth_result_reason = -1;
static int hf_sipauth_refusals = -1;
static int hf_sipauth_dns_queries = -1;
static int hf_sipauth_dns_unanswered = -1;
static int hf_sipauth_dns_frame = -1;
static int hf_sipauth_credentials = -1;
static int hf_sipauth_credentials_reason = -1;
static int hf_sipauth_algorithm = -1;
static int hf_sipauth_qop = -1;
static int hf_sipauth_username = -1;
static int hf_sipauth_attack_source = -1;
static int hf_sipauth_attack_usernames = -1;
static int hf_sipauth_sec_mechanism = -1;
static int hf_sipauth_spi_c = -1;
static int hf_sipauth_spi_s = -1;
static int hf_sipauth_port_c = -1;
static int hf_sipauth_port_s = -1;
static int hf_sipauth_esp_frame = -1;
static int hf_sipauth_mar_frame = -1;
static int hf_sipauth_maa_frame = -1;
static int hf_sipauth_hss_time = -1;
static int hf_sipauth_sar_frame = -1;
static int hf_sipauth_saa_frame = -1;
static int hf_sipauth_hss_result = -1;

static gint ett_sipauth = -1;
static gint ett_sipauth_credentials = -1;

/* Each finding once under its name and registered summary (what tshark -G fields lists), then one expert info
 * of the same name per text it is shown with (explain.h), because the GUI's Expert Information groups by
 * registered text: at the finding's severity, and, for a finding above Note, a twin at Note for a detail
 * under its frame's verdict (SPEC section 9). */
static expert_field ei_sipauth[SA_FINDING_COUNT];
static expert_field ei_text[SA_TEXT_COUNT];
static expert_field ei_text_detail[SA_TEXT_COUNT];
static ei_register_info ei_texts[2 * SA_TEXT_COUNT];

static const char *const finding_names[] = {
#define SA_FINDING_NAME(name, abbrev, group, severity, summary) "sipauth." abbrev,
    SA_FINDINGS(SA_FINDING_NAME)
#undef SA_FINDING_NAME
};
static const int finding_groups[] = {
#define SA_FINDING_GROUP(name, abbrev, group, severity, summary) PI_##group,
    SA_FINDINGS(SA_FINDING_GROUP)
#undef SA_FINDING_GROUP
};
static const int finding_severities[] = {
#define SA_FINDING_SEVERITY(name, abbrev, group, severity, summary) PI_##severity,
    SA_FINDINGS(SA_FINDING_SEVERITY)
#undef SA_FINDING_SEVERITY
};

/* Generated from the core's one list of roles and outcomes. */
static const value_string sipauth_role_vals[] = {
#define SA_ROLE_VAL(name, value, text) { SA_ROLE_##name, text },
    SA_ROLES(SA_ROLE_VAL)
#undef SA_ROLE_VAL
    { 0, NULL }
};

static const value_string sipauth_outcome_vals[] = {
#define SA_OUTCOME_VAL(name, value, text) { SA_OUTCOME_##name, text },
    SA_OUTCOMES(SA_OUTCOME_VAL)
#undef SA_OUTCOME_VAL
    { 0, NULL }
};

static const value_string sipauth_credentials_vals[] = {
#define SA_CREDENTIALS_VS(name, value, text) { value, text },
    SA_CREDENTIALS(SA_CREDENTIALS_VS)
#undef SA_CREDENTIALS_VS
    { 0, NULL }
};

static const value_string sipauth_verdict_vals[] = {
#define SA_VERDICT_VAL(name, value, text) { SA_VERDICT_##name, text },
    SA_VERDICTS(SA_VERDICT_VAL)
#undef SA_VERDICT_VAL
    { 0, NULL }
};

void
sa_render_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_sipauth_flow,
          { "Flow", "sipauth.flow", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Challenge flow this message belongs to: request, challenges, ACK, retries, results", HFILL } },
        { &hf_sipauth_role,
          { "Role", "sipauth.role", FT_UINT8, BASE_DEC, VALS(sipauth_role_vals), 0x0,
            "What this message is within its challenge flow", HFILL } },
        { &hf_sipauth_attempt,
          { "Attempt", "sipauth.attempt", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Challenge number within the flow, 1 for the first challenge", HFILL } },
        { &hf_sipauth_challenge_code,
          { "Challenge code", "sipauth.challenge_code", FT_UINT16, BASE_DEC, NULL, 0x0,
            "401 (WWW-Authenticate) or 407 (Proxy-Authenticate)", HFILL } },
        { &hf_sipauth_request_frame,
          { "Challenged request in frame", "sipauth.request_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, NULL, HFILL } },
        { &hf_sipauth_challenge_frame,
          { "Challenge in frame", "sipauth.challenge_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, NULL, HFILL } },
        { &hf_sipauth_ack_frame,
          { "ACK in frame", "sipauth.ack_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_ACK), 0x0, NULL, HFILL } },
        { &hf_sipauth_retry_frame,
          { "Authenticated retry in frame", "sipauth.retry_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, NULL, HFILL } },
        { &hf_sipauth_result_frame,
          { "Retry answered in frame", "sipauth.result_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, NULL, HFILL } },
        { &hf_sipauth_result_code,
          { "Retry result code", "sipauth.result_code", FT_UINT16, BASE_DEC, NULL, 0x0,
            "Status code of the final response to the authenticated retry", HFILL } },
        { &hf_sipauth_time_to_retry,
          { "Time to retry", "sipauth.time_to_retry", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "Time from the challenge to the authenticated retry", HFILL } },
        { &hf_sipauth_outcome,
          { "Outcome", "sipauth.outcome", FT_UINT8, BASE_DEC, VALS(sipauth_outcome_vals), 0x0,
            "How this challenge ended", HFILL } },
        { &hf_sipauth_heuristic,
          { "Heuristic match", "sipauth.heuristic", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "Retry with a new Call-ID, matched by the nonce and realm it echoes", HFILL } },
        { &hf_sipauth_verdict,
          { "Verdict", "sipauth.verdict", FT_UINT8, BASE_DEC, VALS(sipauth_verdict_vals), 0x0,
            "How the whole flow ended, the same on all its frames", HFILL } },
        { &hf_sipauth_first_request_frame,
          { "First request in frame", "sipauth.first_request_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The flow's first challenged request", HFILL } },
        { &hf_sipauth_final_frame,
          { "Final response in frame", "sipauth.final_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
            "The flow's last final response: the 2xx, the last challenge or the failure", HFILL } },
        { &hf_sipauth_auth_time,
          { "Authentication time", "sipauth.auth_time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "Accepted flows: from the first request to the accepting 2xx", HFILL } },
        { &hf_sipauth_result_reason,
          { "Retry result reason", "sipauth.result_reason", FT_STRING, BASE_NONE, NULL, 0x0,
            "Reason phrase of the final response to the authenticated retry", HFILL } },
        { &hf_sipauth_refusals,
          { "Refusals", "sipauth.refusals", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Retries of the flow challenged again without stale=true", HFILL } },
        { &hf_sipauth_dns_queries,
          { "UA DNS queries before the retry", "sipauth.dns_queries", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Slow retry: DNS queries the UA sent between the challenge and its retry", HFILL } },
        { &hf_sipauth_dns_unanswered,
          { "Of them unanswered", "sipauth.dns_unanswered", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Slow retry: those of the UA's DNS queries no response was seen to", HFILL } },
        { &hf_sipauth_dns_frame,
          { "First DNS query in frame", "sipauth.dns_frame", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "Slow retry: the UA's first DNS query after the challenge", HFILL } },
        { &hf_sipauth_credentials,
          { "Credentials", "sipauth.credentials", FT_UINT8, BASE_DEC, VALS(sipauth_credentials_vals), 0x0,
            "The retry's response against the credentials table: correct, wrong, not checked (no entry), "
            "cannot check (why: sipauth.credentials_reason)", HFILL } },
        { &hf_sipauth_credentials_reason,
          { "Cannot check because", "sipauth.credentials_reason", FT_STRING, BASE_NONE, NULL, 0x0,
            "Why the retry's response cannot be checked", HFILL } },
        { &hf_sipauth_algorithm,
          { "Algorithm", "sipauth.algorithm", FT_STRING, BASE_NONE, NULL, 0x0,
            "The retry's Digest algorithm (MD5 when the credentials name none)", HFILL } },
        { &hf_sipauth_qop,
          { "qop", "sipauth.qop", FT_STRING, BASE_NONE, NULL, 0x0,
            "The retry's quality of protection", HFILL } },
        { &hf_sipauth_username,
          { "User name", "sipauth.username", FT_STRING, BASE_NONE, NULL, 0x0,
            "The retry's credentials' username", HFILL } },
        { &hf_sipauth_attack_source,
          { "Attack source", "sipauth.attack_source", FT_STRING, BASE_NONE, NULL, 0x0,
            "Credential attack: the source address that crossed the threshold here (or announced a scanner)",
            HFILL } },
        { &hf_sipauth_attack_usernames,
          { "Attack user names", "sipauth.attack_usernames", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Credential attack: the source's distinct user names with refused credentials or unanswered "
            "challenges within sipauth.attack_window (0: a scanner's User-Agent)", HFILL } },
        { &hf_sipauth_sec_mechanism,
          { "Security mechanism", "sipauth.sec_mechanism", FT_STRING, BASE_NONE, NULL, 0x0,
            "Mechanism and algorithms the 401's Security-Server offers (RFC 3329, TS 33.203)", HFILL } },
        { &hf_sipauth_spi_c,
          { "P-CSCF SPI client (spi-c)", "sipauth.spi_c", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The P-CSCF's protected client SPI, from the 401's Security-Server", HFILL } },
        { &hf_sipauth_spi_s,
          { "P-CSCF SPI server (spi-s)", "sipauth.spi_s", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The P-CSCF's protected server SPI, from the 401's Security-Server: the UE's ESP to it carries it",
            HFILL } },
        { &hf_sipauth_port_c,
          { "P-CSCF protected client port (port-c)", "sipauth.port_c", FT_UINT16, BASE_DEC, NULL, 0x0,
            "The P-CSCF's protected client port, from the 401's Security-Server", HFILL } },
        { &hf_sipauth_port_s,
          { "P-CSCF protected server port (port-s)", "sipauth.port_s", FT_UINT16, BASE_DEC, NULL, 0x0,
            "The P-CSCF's protected server port, from the 401's Security-Server: where the retry goes", HFILL } },
        { &hf_sipauth_esp_frame,
          { "Retry in ESP frame", "sipauth.esp_frame", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "No decoded retry: the first ESP from the UE with the offered spi-s (retry protected)", HFILL } },
        { &hf_sipauth_mar_frame,
          { "Multimedia-Auth request in frame", "sipauth.mar_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
            "The Diameter Cx MAR whose answer gave this challenge its vector (TS 29.229)", HFILL } },
        { &hf_sipauth_maa_frame,
          { "Multimedia-Auth answer in frame", "sipauth.maa_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
            "The Diameter Cx MAA that gave this challenge its vector: its SIP-Authenticate is the nonce's "
            "RAND||AUTN (AKA), or its SIP-Digest-Authenticate the realm's HA1 (digest)", HFILL } },
        { &hf_sipauth_hss_time,
          { "HSS time", "sipauth.hss_time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "Multimedia-Auth request to answer", HFILL } },
        { &hf_sipauth_sar_frame,
          { "Server-Assignment request in frame", "sipauth.sar_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
            "The Diameter Cx SAR the S-CSCF sent for this user after the Multimedia-Auth of this flow", HFILL } },
        { &hf_sipauth_saa_frame,
          { "Server-Assignment answer in frame", "sipauth.saa_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "The HSS's answer to that SAR", HFILL } },
        { &hf_sipauth_hss_result,
          { "HSS result", "sipauth.hss_result", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Result-Code or Experimental-Result-Code of the MAA (on a challenge) or the SAA (on a result)",
            HFILL } },
    };
    static gint *ett[] = { &ett_sipauth, &ett_sipauth_credentials };
    static ei_register_info ei[] = {
#define SA_EI_ENTRY(name, abbrev, group, severity, summary) \
        { &ei_sipauth[SA_FINDING_##name], \
          { "sipauth." abbrev, PI_##group, PI_##severity, summary, EXPFILL } },
        SA_FINDINGS(SA_EI_ENTRY)
#undef SA_EI_ENTRY
    };

    proto_sipauth = proto;
    for (int i = 0; i < SA_FINDING_COUNT; i++) {
        expert_field unset = EI_INIT;
        ei_sipauth[i] = unset;
    }
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *expert = expert_register_protocol(proto);
    expert_register_field_array(expert, ei, array_length(ei));

    guint n = 0;
    for (int t = 0; t < SA_TEXT_COUNT; t++) {
        sa_finding_t f = sa_text_finding((sa_text_t)t);
        expert_field unset = EI_INIT;
        ei_text[t] = ei_text_detail[t] = unset;
        ei_register_info *entry = &ei_texts[n++];
        entry->ids = &ei_text[t];
        entry->eiinfo.name = finding_names[f];
        entry->eiinfo.group = finding_groups[f];
        entry->eiinfo.severity = finding_severities[f];
        entry->eiinfo.summary = sa_text((sa_text_t)t);
        if (finding_severities[f] <= PI_NOTE)
            continue;
        entry = &ei_texts[n++];
        entry->ids = &ei_text_detail[t];
        entry->eiinfo.name = finding_names[f];
        entry->eiinfo.group = finding_groups[f];
        entry->eiinfo.severity = PI_NOTE;
        entry->eiinfo.summary = sa_text((sa_text_t)t);
    }
    expert_register_field_array(expert, ei_texts, n);
}

/* The generic expert fields (_ws.expert...), which show expert texts too. */
static const char *const expert_field_names[] = {
    "_ws.expert", "_ws.expert.message", "_ws.expert.severity", "_ws.expert.group",
};

/* Looked up once per capture: whether a filter, column or -e uses a field is asked for every result. */
static header_field_info *protocol_info;
static header_field_info *expert_infos[G_N_ELEMENTS(expert_field_names)];
static header_field_info *finding_infos[SA_FINDING_COUNT];
static gboolean watch_ready;

static gboolean
watch(header_field_info **slot, int hf)
{
    *slot = hf >= 0 ? proto_registrar_get_nth((guint)hf) : NULL;
    return *slot != NULL;
}

void
sa_render_init(void)
{
    gboolean found = TRUE;
    found = watch(&protocol_info, proto_sipauth) && found;
    for (gsize i = 0; i < G_N_ELEMENTS(expert_field_names); i++)
        found = watch(&expert_infos[i], proto_registrar_get_id_byname(expert_field_names[i])) && found;
    for (int f = 0; f < SA_FINDING_COUNT; f++)
        found = watch(&finding_infos[f], ei_sipauth[f].hf) && found;
    /* A field not found: never assume the tree unseen. */
    watch_ready = found;
}

/* proto_field_is_referenced() without a registry look-up. */
static gboolean
is_referenced(proto_tree *tree, const header_field_info *hfinfo)
{
    return hfinfo->ref_type != HF_REF_TYPE_NONE
        || (hfinfo->type == FT_PROTOCOL && !PTREE_DATA(tree)->fake_protocols);
}

/* Whether anyone can see this result's tree or expert texts: a visible tree, or a filter, column or -e
 * naming a sipauth field, or an expert field of a finding the result has. Priming a field for a filter,
 * column, -e or another post-dissector marks its protocol too, so the protocol stands for all sipauth.*
 * fields: one look-up instead of fourteen on every frame. */
static gboolean
tree_needed(proto_tree *tree, sa_finding_mask_t findings)
{
    if (tree == NULL)
        return FALSE;
    if (!watch_ready || PTREE_DATA(tree)->visible)
        return TRUE;
    if (is_referenced(tree, protocol_info))
        return TRUE;
    if (findings == 0)
        return FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(expert_infos); i++)
        if (is_referenced(tree, expert_infos[i]))
            return TRUE;
    for (int f = 0; f < SA_FINDING_COUNT; f++)
        if ((findings & SA_FINDING_BIT(f)) && is_referenced(tree, finding_infos[f]))
            return TRUE;
    return FALSE;
}

/* A generated number or frame link, left out when 0 (none). */
static proto_item *
add_uint(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 value)
{
    if (value == 0)
        return NULL;
    proto_item *item = proto_tree_add_uint(tree, hf, tvb, 0, 0, value);
    proto_item_set_generated(item);
    return item;
}

static void
add_time(proto_tree *tree, int hf, tvbuff_t *tvb, gint64 ns)
{
    nstime_t delay;
    delay.secs = (time_t)(ns / G_GINT64_CONSTANT(1000000000));
    delay.nsecs = (int)(ns % G_GINT64_CONSTANT(1000000000));
    proto_item_set_generated(proto_tree_add_time(tree, hf, tvb, 0, 0, &delay));
}

/* sipauth.request_frame, labelled by what the request is to this message. */
static void
add_request_frame(proto_tree *tree, tvbuff_t *tvb, const sa_result_t *r)
{
    if (r->request_frame == 0)
        return;
    const char *label = NULL;
    if (r->role == SA_ROLE_RESULT)
        label = "Answers the authenticated retry in frame";
    else if (r->role == SA_ROLE_REQUEST_RETRANSMISSION)
        label = "Retransmission of the request in frame";
    proto_item *item = label
        ? proto_tree_add_uint_format(tree, hf_sipauth_request_frame, tvb, 0, 0, r->request_frame, "%s: %u", label,
                                     r->request_frame)
        : proto_tree_add_uint(tree, hf_sipauth_request_frame, tvb, 0, 0, r->request_frame);
    proto_item_set_generated(item);
}

/* The expert field a finding of this result is shown with: its text's, the twin at Note for a detail. */
static expert_field *
finding_ei(sa_finding_t finding, const sa_result_t *r)
{
    sa_text_t text = sa_finding_text_id(finding, r);
    if (sa_finding_is_detail(finding, r) && ei_text_detail[text].ei != EI_INIT_EI)
        return &ei_text_detail[text];
    return &ei_text[text];
}

/* A credential attack's source as Wireshark prints addresses. */
static const char *
attack_source(packet_info *pinfo, const sa_result_t *r)
{
    address addr;
    if (r->attack_source.len == 4)
        set_address(&addr, AT_IPv4, 4, r->attack_source.bytes);
    else if (r->attack_source.len == 16)
        set_address(&addr, AT_IPv6, 16, r->attack_source.bytes);
    else
        return "?";
    return address_to_str(pinfo->pool, &addr);
}

/* One expert info per finding, its registered text the fixed text of its case; the frames to go to are the
 * fields beside it. A credential attack also names its source and count (the registered text stays the
 * group's title). */
static void
add_expert(packet_info *pinfo, proto_item *item, sa_finding_t finding, const sa_result_t *r)
{
    expert_field *ei = finding_ei(finding, r);
    if (finding != SA_FINDING_CREDENTIAL_ATTACK) {
        expert_add_info(pinfo, item, ei);
    } else if (r->attack_usernames > 0) {
        expert_add_info_format(pinfo, item, ei, "%s: %s, %u user names", sa_finding_text(finding, r),
                               attack_source(pinfo, r), r->attack_usernames);
    } else {
        expert_add_info_format(pinfo, item, ei, "%s: %s, User-Agent %s", sa_finding_text(finding, r),
                               attack_source(pinfo, r), r->attack_user_agent ? r->attack_user_agent : "?");
    }
}

/* The Info column tag of a challenge: how this step went, in the flow's terms. */
static const char *
info_tag(const sa_result_t *r, char *buf, gsize size)
{
    gboolean loop = r->verdict == SA_VERDICT_CHALLENGE_LOOP;
    switch (r->outcome) {
    case SA_OUTCOME_ACCEPTED:
    case SA_OUTCOME_REJECTED:
        snprintf(buf, size, "[auth: retried in %u, %u]", r->retry_frame, r->result_code);
        return buf;
    case SA_OUTCOME_CHALLENGED_AGAIN:
        if (r->again == SA_AGAIN_REFRESH)
            snprintf(buf, size, "[auth: retried in %u, nonce refresh]", r->retry_frame);
        else if (r->again == SA_AGAIN_REFUSAL)
            snprintf(buf, size, "[auth: retried in %u, REFUSED%s]", r->retry_frame, loop ? ", LOOP" : "");
        else
            snprintf(buf, size, "[auth: retried in %u, challenged again]", r->retry_frame);
        return buf;
    case SA_OUTCOME_NO_RETRY:
        if (r->esp_frame != 0 && r->verdict == SA_VERDICT_RETRY_PROTECTED)
            snprintf(buf, size, "[auth: retry in IPsec, ESP %u]", r->esp_frame);
        else if (loop || r->verdict == SA_VERDICT_REFUSED)
            snprintf(buf, size, "[auth: %sREFUSED %ux, %s]", loop ? "LOOP, " : "", r->refusals,
                     r->end == SA_END_CAPTURE_ENDED ? "capture ended" : "UA GAVE UP");
        else if (r->end == SA_END_CAPTURE_ENDED)
            snprintf(buf, size, "[auth: no retry, capture ended]");
        else if (r->last_was_refresh)
            snprintf(buf, size, "[auth: NO RETRY after nonce refresh]");
        else
            snprintf(buf, size, "[auth: NO RETRY]");
        return buf;
    case SA_OUTCOME_RETRY_UNANSWERED:
        snprintf(buf, size, "[auth: retried in %u, NO ANSWER]", r->retry_frame);
        return buf;
    case SA_OUTCOME_UNKNOWN:
        return "[auth: pending]";
    case SA_OUTCOME_NONE:
        break;
    }
    return NULL;
}

/* The Info column tag of a retry whose credentials were checked with the table. */
static const char *
retry_info_tag(const sa_result_t *r)
{
    if (r->findings & SA_FINDING_BIT(SA_FINDING_CORRECT_CREDENTIALS_REFUSED))
        return "[auth: correct credentials REFUSED]";
    switch (r->credentials) {
    case SA_CREDENTIALS_CORRECT: return "[auth: credentials correct]";
    case SA_CREDENTIALS_WRONG:   return "[auth: WRONG credentials]";
    default:                     return NULL;
    }
}

/* Appends the outcome tag; the SIP dissector may already have left a trailing space. */
static void
append_info_tag(packet_info *pinfo, const sa_result_t *r)
{
    char buf[80];
    const char *tag = r->role == SA_ROLE_RETRY ? retry_info_tag(r) : info_tag(r, buf, sizeof buf);
    if (tag == NULL)
        return;
    const char *info = col_get_text(pinfo->cinfo, COL_INFO);
    gsize len = info ? strlen(info) : 0;
    col_append_str(pinfo->cinfo, COL_INFO, len == 0 || info[len - 1] == ' ' ? "" : " ");
    col_append_str(pinfo->cinfo, COL_INFO, tag);
}

/* The flow as a whole: the verdict (with the expert infos of the frame's findings under it on a challenge),
 * where the flow started and ended, and what the authentication cost. */
static proto_item *
add_verdict(proto_tree *sub, tvbuff_t *tvb, const sa_result_t *r)
{
    proto_item *verdict = add_uint(sub, hf_sipauth_verdict, tvb, r->verdict);
    add_uint(sub, hf_sipauth_first_request_frame, tvb, r->first_request_frame);
    add_uint(sub, hf_sipauth_final_frame, tvb, r->final_frame);
    if (r->has_auth_time)
        add_time(sub, hf_sipauth_auth_time, tvb, r->auth_time_ns);
    if (r->refusals > 0)
        add_uint(sub, hf_sipauth_refusals, tvb, r->refusals);
    return verdict;
}

static void
add_string(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value)
{
    if (value)
        proto_item_set_generated(proto_tree_add_string(tree, hf, tvb, 0, 0, value));
}

/* A retry's credentials: the verdict on them, why they could not be checked, and what they say. */
static void
add_credentials(proto_tree *sub, tvbuff_t *tvb, const sa_result_t *r)
{
    proto_item *item = add_uint(sub, hf_sipauth_credentials, tvb, r->credentials);
    if (item && r->credentials == SA_CREDENTIALS_CANNOT_CHECK && r->check_reason != SA_CHECK_NONE) {
        proto_tree *why = proto_item_add_subtree(item, ett_sipauth_credentials);
        add_string(why, hf_sipauth_credentials_reason, tvb, sa_check_reason_text(r->check_reason));
    }
    add_string(sub, hf_sipauth_algorithm, tvb, r->algorithm);
    add_string(sub, hf_sipauth_qop, tvb, r->qop);
    add_string(sub, hf_sipauth_username, tvb, r->username);
}

/* The HSS behind this challenge or result (SPEC section 11). */
static void
add_hss(proto_tree *sub, tvbuff_t *tvb, const sa_result_t *r)
{
    add_uint(sub, hf_sipauth_mar_frame, tvb, r->mar_frame);
    add_uint(sub, hf_sipauth_maa_frame, tvb, r->maa_frame);
    if (r->has_hss_time)
        add_time(sub, hf_sipauth_hss_time, tvb, r->hss_time_ns);
    add_uint(sub, hf_sipauth_sar_frame, tvb, r->sar_frame);
    add_uint(sub, hf_sipauth_saa_frame, tvb, r->saa_frame);
    if (r->has_hss_result)
        proto_item_set_generated(proto_tree_add_uint(sub, hf_sipauth_hss_result, tvb, 0, 0, r->hss_result));
}

/* The security agreement the 401 offered (SPEC section 11). */
static void
add_security(proto_tree *sub, tvbuff_t *tvb, const sa_result_t *r)
{
    add_string(sub, hf_sipauth_sec_mechanism, tvb, r->sec_mechanism);
    if (r->has_spi_c)
        proto_item_set_generated(proto_tree_add_uint(sub, hf_sipauth_spi_c, tvb, 0, 0, r->spi_c));
    if (r->has_spi_s)
        proto_item_set_generated(proto_tree_add_uint(sub, hf_sipauth_spi_s, tvb, 0, 0, r->spi_s));
    add_uint(sub, hf_sipauth_port_c, tvb, r->port_c);
    add_uint(sub, hf_sipauth_port_s, tvb, r->port_s);
}

void
sa_render(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const sa_result_t *r, gboolean info_column)
{
    if (info_column && (r->role == SA_ROLE_CHALLENGE || r->role == SA_ROLE_RETRY))
        append_info_tag(pinfo, r);

    if (!tree_needed(tree, r->findings)) {
        /* No one sees the tree or the texts; the expert tap (-z expert) gets them whole. */
        for (int f = 0; f < SA_FINDING_COUNT; f++)
            if (r->findings & SA_FINDING_BIT(f))
                add_expert(pinfo, NULL, (sa_finding_t)f, r);
        return;
    }

    proto_item *top = proto_tree_add_item(tree, proto_sipauth, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(top);
    proto_item_append_text(top, ", flow %u: %s", r->flow, val_to_str_const(r->role, sipauth_role_vals, "?"));
    if (r->role == SA_ROLE_CHALLENGE)
        proto_item_append_text(top, " %u (attempt %u), %s", r->challenge_code, r->attempt,
                               val_to_str_const(r->outcome, sipauth_outcome_vals, "?"));
    proto_item_append_text(top, "; verdict: %s", val_to_str_const(r->verdict, sipauth_verdict_vals, "?"));
    proto_tree *sub = proto_item_add_subtree(top, ett_sipauth);

    proto_item *verdict = add_verdict(sub, tvb, r);
    add_uint(sub, hf_sipauth_flow, tvb, r->flow);
    add_uint(sub, hf_sipauth_role, tvb, r->role);
    add_uint(sub, hf_sipauth_attempt, tvb, r->attempt);
    if (r->role != SA_ROLE_RESULT)
        add_uint(sub, hf_sipauth_challenge_code, tvb, r->challenge_code);
    add_request_frame(sub, tvb, r);
    add_uint(sub, hf_sipauth_challenge_frame, tvb, r->challenge_frame);
    add_uint(sub, hf_sipauth_ack_frame, tvb, r->ack_frame);
    add_uint(sub, hf_sipauth_retry_frame, tvb, r->retry_frame);
    add_uint(sub, hf_sipauth_result_frame, tvb, r->result_frame);
    if (r->role != SA_ROLE_RESULT)
        add_uint(sub, hf_sipauth_result_code, tvb, r->result_code);
    if (r->result_reason)
        proto_item_set_generated(proto_tree_add_string(sub, hf_sipauth_result_reason, tvb, 0, 0, r->result_reason));
    if (r->has_time_to_retry)
        add_time(sub, hf_sipauth_time_to_retry, tvb, r->time_to_retry_ns);
    if (r->role == SA_ROLE_CHALLENGE)
        add_uint(sub, hf_sipauth_outcome, tvb, r->outcome);
    if (r->heuristic)
        proto_item_set_generated(proto_tree_add_boolean(sub, hf_sipauth_heuristic, tvb, 0, 0, TRUE));
    if (r->findings & SA_FINDING_BIT(SA_FINDING_SLOW_RETRY)) {
        proto_item_set_generated(proto_tree_add_uint(sub, hf_sipauth_dns_queries, tvb, 0, 0, r->dns_queries));
        if (r->dns_queries > 0) {
            proto_item_set_generated(proto_tree_add_uint(sub, hf_sipauth_dns_unanswered, tvb, 0, 0,
                                                         r->dns_unanswered));
            add_uint(sub, hf_sipauth_dns_frame, tvb, r->dns_frame);
        }
    }

    if (r->role == SA_ROLE_RETRY)
        add_credentials(sub, tvb, r);
    if (r->sec_mechanism && (r->role == SA_ROLE_CHALLENGE || r->role == SA_ROLE_RETRY))
        add_security(sub, tvb, r);
    add_uint(sub, hf_sipauth_esp_frame, tvb, r->esp_frame);
    add_hss(sub, tvb, r);
    if (r->findings & SA_FINDING_BIT(SA_FINDING_CREDENTIAL_ATTACK)) {
        add_string(sub, hf_sipauth_attack_source, tvb, attack_source(pinfo, r));
        proto_item_set_generated(proto_tree_add_uint(sub, hf_sipauth_attack_usernames, tvb, 0, 0,
                                                     r->attack_usernames));
    }

    /* The verdict's statement comes first; it and the details sit under the verdict item (an expert info
     * opens its own subtree under the item it is added to). */
    proto_item *anchor = verdict ? verdict : top;
    if (r->statement != SA_FINDING_COUNT && (r->findings & SA_FINDING_BIT(r->statement)))
        add_expert(pinfo, anchor, r->statement, r);
    for (int f = 0; f < SA_FINDING_COUNT; f++)
        if ((r->findings & SA_FINDING_BIT(f)) && (sa_finding_t)f != r->statement)
            add_expert(pinfo, anchor, (sa_finding_t)f, r);
}

void
sa_render_cx_answer(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const sa_cx_answer_t *a)
{
    gboolean sar = a->command == 301;
    const char *name = sa_diameter_code_name(a->result_code, a->experimental);
    proto_item *top = proto_tree_add_item(tree, proto_sipauth, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(top);
    proto_item_append_text(top, ", HSS error: %s %u %s", sar ? "SAA" : "MAA", a->result_code, name);
    proto_tree *sub = proto_item_add_subtree(top, ett_sipauth);
    add_uint(sub, sar ? hf_sipauth_sar_frame : hf_sipauth_mar_frame, tvb, a->request_frame);
    add_uint(sub, sar ? hf_sipauth_saa_frame : hf_sipauth_maa_frame, tvb, a->answer_frame);
    if (a->has_hss_time)
        add_time(sub, hf_sipauth_hss_time, tvb, a->hss_time_ns);
    proto_item *result = proto_tree_add_uint(sub, hf_sipauth_hss_result, tvb, 0, 0, a->result_code);
    proto_item_set_generated(result);
    if (*name)
        proto_item_append_text(result, " (%s)", name);
    add_uint(sub, hf_sipauth_result_frame, tvb, a->sip_frame);
    add_uint(sub, hf_sipauth_result_code, tvb, a->sip_status);
    sa_text_t text = sa_cx_answer_text_id(a);
    if (a->sip_frame)
        expert_add_info_format(pinfo, top, &ei_text[text], "%s: %u %s for %s; on SIP: %u in frame %u", sa_text(text),
                               a->result_code, name, a->user ? a->user : "?", a->sip_status, a->sip_frame);
    else
        expert_add_info_format(pinfo, top, &ei_text[text], "%s: %u %s for %s; no SIP failure of that user's "
                               "REGISTER follows%s", sa_text(text), a->result_code, name, a->user ? a->user : "?",
                               PINFO_FD_VISITED(pinfo) ? "" : " yet");
}
