/* Shows a tracker result: the SIPAUTH tree, its expert infos and the Info column tag. */
#include "render.h"
#include "ws_version.h"

#include <epan/expert.h>
#include <epan/tap.h>

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

static gint ett_sipauth = -1;

static expert_field ei_sipauth[SA_FINDING_COUNT];

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
    };
    static gint *ett[] = { &ett_sipauth };
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
}

/* The generic expert fields (_ws.expert...), which show expert texts too. */
static const char *const expert_field_names[] = {
    "_ws.expert", "_ws.expert.message", "_ws.expert.severity", "_ws.expert.group",
};

/* Looked up once per capture: whether a filter, column or -e uses a field is asked for every result. */
static header_field_info *protocol_info;
static header_field_info *expert_infos[G_N_ELEMENTS(expert_field_names)];
static header_field_info *finding_infos[SA_FINDING_COUNT];
static int expert_tap = -1;
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
    expert_tap = find_tap_id("expert");
    /* A field or the tap not found: never assume the texts unseen. */
    watch_ready = found && expert_tap > 0;
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
tree_needed(proto_tree *tree, guint32 findings)
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

static const char *
auth_header_name(guint code, gboolean request_side)
{
    if (code == 407)
        return request_side ? "Proxy-Authorization" : "Proxy-Authenticate";
    return request_side ? "Authorization" : "WWW-Authenticate";
}

static double
seconds(gint64 ns)
{
    return (double)ns / 1e9;
}

static void
add_frame(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 frame)
{
    if (frame != 0)
        proto_item_set_generated(proto_tree_add_uint(tree, hf, tvb, 0, 0, frame));
}

static void
add_uint(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 value)
{
    if (value != 0)
        proto_item_set_generated(proto_tree_add_uint(tree, hf, tvb, 0, 0, value));
}

/* "frame N", or a word for a request sent before the capture started. */
static const char *
frame_ref(packet_info *pinfo, guint32 frame)
{
    return frame ? wmem_strdup_printf(pinfo->pool, "frame %u", frame) : "a frame before the capture";
}

/* One expert info per finding, each naming the frame to look at next and what to check. */
static void
add_expert(packet_info *pinfo, proto_item *item, sa_finding_t finding, const sa_result_t *r)
{
    expert_field *ei = &ei_sipauth[finding];
    guint code = r->challenge_code;
    switch (finding) {
    case SA_FINDING_MISSING_RETRY:
        expert_add_info_format(pinfo, item, ei,
            "No authenticated retry after this %u (request in %s): check the next %s for %s and "
            "credential correctness",
            code, frame_ref(pinfo, r->request_frame), r->method ? r->method : "request", auth_header_name(code, TRUE));
        break;
    case SA_FINDING_RETRY_CHALLENGED:
        expert_add_info_format(pinfo, item, ei,
            "The retry in frame %u was challenged again without stale=true: credentials refused, "
            "check username, realm and password",
            r->request_frame);
        break;
    case SA_FINDING_STALE_NONCE:
        expert_add_info_format(pinfo, item, ei,
            "stale=true: the nonce used in %s expired; a normal refresh, expect a retry with the new nonce",
            frame_ref(pinfo, r->request_frame));
        break;
    case SA_FINDING_CHALLENGE_LOOP:
        expert_add_info_format(pinfo, item, ei,
            "Challenge loop: attempt %u of flow %u challenged again; the credentials keep being refused "
            "(password, AKA keys or realm)",
            r->attempt, r->flow);
        break;
    case SA_FINDING_RETRY_FAILED:
        expert_add_info_format(pinfo, item, ei,
            "The authenticated retry in frame %u (challenge in frame %u) ended in a failure: check the "
            "reason phrase; a 403 usually means refused credentials",
            r->request_frame, r->challenge_frame);
        break;
    case SA_FINDING_RETRY_UNANSWERED:
        expert_add_info_format(pinfo, item, ei,
            "No final response to this retry in the capture (challenge in frame %u)", r->challenge_frame);
        break;
    case SA_FINDING_WRONG_HEADER:
        expert_add_info_format(pinfo, item, ei,
            "Retry answers a %u (frame %u) without %s: the %s header is the one expected",
            code, r->challenge_frame, auth_header_name(code, TRUE), auth_header_name(code, TRUE));
        break;
    case SA_FINDING_CSEQ_NOT_INCREMENTED:
        expert_add_info_format(pinfo, item, ei,
            "Retry CSeq is not above the CSeq of the challenged request in %s (RFC 3261 22.2)",
            frame_ref(pinfo, r->request_frame));
        break;
    case SA_FINDING_NONCE_MISMATCH:
        expert_add_info_format(pinfo, item, ei,
            "Retry nonce is not the nonce challenged in frame %u: stale or reused credentials", r->challenge_frame);
        break;
    case SA_FINDING_REALM_MISMATCH:
        expert_add_info_format(pinfo, item, ei,
            "Retry realm is none of the realms challenged in frame %u", r->challenge_frame);
        break;
    case SA_FINDING_MISSING_CHALLENGE_HEADER:
        expert_add_info_format(pinfo, item, ei,
            "%u without %s: the client cannot answer this challenge", code, auth_header_name(code, FALSE));
        break;
    case SA_FINDING_NO_ACK:
        expert_add_info_format(pinfo, item, ei,
            "This %u to the INVITE in %s was never ACKed: did the client receive it?",
            code, frame_ref(pinfo, r->request_frame));
        break;
    case SA_FINDING_CHALLENGE_RETRANSMITTED:
        expert_add_info_format(pinfo, item, ei,
            "Challenge sent again (first in frame %u): its ACK or the request retransmission was lost",
            r->challenge_frame);
        break;
    case SA_FINDING_AKA_RESYNC:
        expert_add_info_format(pinfo, item, ei,
            "Retry carries auts: IMS AKA synchronisation failure, expect a new challenge (frame %u was answered)",
            r->challenge_frame);
        break;
    case SA_FINDING_CHALLENGE_ANSWERED:
        expert_add_info_format(pinfo, item, ei,
            "Authentication step: retried in frame %u after %.3f s, accepted with %u in frame %u",
            r->retry_frame, seconds(r->time_to_retry_ns), r->result_code, r->result_frame);
        break;
    case SA_FINDING_ANALYSIS_TRUNCATED:
        expert_add_info(pinfo, item, ei);
        break;
    case SA_FINDING_COUNT:
        break;
    }
}

static const char *
info_tag(const sa_result_t *r, char *buf, gsize size)
{
    switch (r->outcome) {
    case SA_OUTCOME_ACCEPTED:
    case SA_OUTCOME_REJECTED:
        snprintf(buf, size, "[auth: retried in %u, %u]", r->retry_frame, r->result_code);
        return buf;
    case SA_OUTCOME_CHALLENGED_AGAIN:
        snprintf(buf, size, "[auth: retried in %u, challenged again]", r->retry_frame);
        return buf;
    case SA_OUTCOME_NO_RETRY:
        return "[auth: NO RETRY]";
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

/* Appends the outcome tag; the SIP dissector may already have left a trailing space. */
static void
append_info_tag(packet_info *pinfo, const sa_result_t *r)
{
    char buf[64];
    const char *tag = info_tag(r, buf, sizeof buf);
    if (tag == NULL)
        return;
    const char *info = col_get_text(pinfo->cinfo, COL_INFO);
    gsize len = info ? strlen(info) : 0;
    col_append_str(pinfo->cinfo, COL_INFO, len == 0 || info[len - 1] == ' ' ? "" : " ");
    col_append_str(pinfo->cinfo, COL_INFO, tag);
}

void
sa_render(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const sa_result_t *r, gboolean info_column)
{
    if (info_column && r->role == SA_ROLE_CHALLENGE)
        append_info_tag(pinfo, r);

    if (!tree_needed(tree, r->findings)) {
        /* No one sees the tree or the texts; the expert tap (-z expert) gets them whole. */
        gboolean texts = have_tap_listener(expert_tap);
        for (int f = 0; f < SA_FINDING_COUNT; f++) {
            if (!(r->findings & SA_FINDING_BIT(f)))
                continue;
            if (texts)
                add_expert(pinfo, NULL, (sa_finding_t)f, r);
            else
                expert_add_info(pinfo, NULL, &ei_sipauth[f]);
        }
        return;
    }

    proto_item *top = proto_tree_add_item(tree, proto_sipauth, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(top);
    proto_item_append_text(top, ", flow %u: %s", r->flow, val_to_str_const(r->role, sipauth_role_vals, "?"));
    if (r->role == SA_ROLE_CHALLENGE)
        proto_item_append_text(top, " %u (attempt %u), %s", r->challenge_code, r->attempt,
                               val_to_str_const(r->outcome, sipauth_outcome_vals, "?"));
    proto_tree *sub = proto_item_add_subtree(top, ett_sipauth);

    add_uint(sub, hf_sipauth_flow, tvb, r->flow);
    add_uint(sub, hf_sipauth_role, tvb, r->role);
    add_uint(sub, hf_sipauth_attempt, tvb, r->attempt);
    if (r->role != SA_ROLE_RESULT)
        add_uint(sub, hf_sipauth_challenge_code, tvb, r->challenge_code);
    add_frame(sub, hf_sipauth_request_frame, tvb, r->request_frame);
    add_frame(sub, hf_sipauth_challenge_frame, tvb, r->challenge_frame);
    add_frame(sub, hf_sipauth_ack_frame, tvb, r->ack_frame);
    add_frame(sub, hf_sipauth_retry_frame, tvb, r->retry_frame);
    add_frame(sub, hf_sipauth_result_frame, tvb, r->result_frame);
    if (r->role != SA_ROLE_RESULT)
        add_uint(sub, hf_sipauth_result_code, tvb, r->result_code);
    if (r->has_time_to_retry) {
        nstime_t delay;
        delay.secs = (time_t)(r->time_to_retry_ns / G_GINT64_CONSTANT(1000000000));
        delay.nsecs = (int)(r->time_to_retry_ns % G_GINT64_CONSTANT(1000000000));
        proto_item_set_generated(proto_tree_add_time(sub, hf_sipauth_time_to_retry, tvb, 0, 0, &delay));
    }
    if (r->role == SA_ROLE_CHALLENGE)
        add_uint(sub, hf_sipauth_outcome, tvb, r->outcome);
    if (r->heuristic)
        proto_item_set_generated(proto_tree_add_boolean(sub, hf_sipauth_heuristic, tvb, 0, 0, TRUE));

    for (int f = 0; f < SA_FINDING_COUNT; f++)
        if (r->findings & SA_FINDING_BIT(f))
            add_expert(pinfo, top, (sa_finding_t)f, r);
}
