/* SIPAUTH post-dissector: registration, preferences and the two-pass driver around the tracker. */
#include "ws_version.h"

#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/tap.h>

#include "sipauth/tracker.h"
#include "sipauth/registrations.h"
#include "render.h"
#include "sip_messages.h"
#include "dns_messages.h"
#include "esp_messages.h"
#include "diameter_messages.h"
#include "stats.h"
#include "problems_srt.h"
#include "stats_users.h"
#include "credentials_uat.h"
#include "flowgraph.h"
#include "flow_filter.h"
#include "packet-sipauth.h"

static int proto_sipauth = -1;
static dissector_handle_t sipauth_handle;

/* Preferences (Protocols > SIPAUTH); the tracker's take their defaults from the core at registration. */
static sa_pref_bool_t pref_track_401;
static guint    pref_retry_timeout;
static guint    pref_loop_threshold;
static sa_pref_bool_t pref_heuristic_call_id;
static guint    pref_slow_retry;
static sa_pref_bool_t pref_info_column = TRUE;
static guint    pref_attack_usernames;
static guint    pref_attack_window;
static sa_pref_bool_t pref_diameter = TRUE;

/* Lives from a file's init routine to its cleanup routine. */
static sa_tracker_t *tracker;

/* What the first pass learnt about one frame: the tracker ids of its SIP messages. */
typedef struct {
    guint       count;
    sa_msg_id_t ids[];
} frame_msgs_t;

static void
sipauth_init(void)
{
    /* A disabled protocol must not make every frame build a tree. */
    if (!proto_is_protocol_enabled(find_protocol_by_id(proto_sipauth)))
        return;
    sa_config_t config;
    sa_config_init_defaults(&config);
    config.track_401 = pref_track_401;
    config.retry_timeout_s = pref_retry_timeout;
    config.loop_threshold = pref_loop_threshold;
    config.heuristic_call_id = pref_heuristic_call_id;
    config.slow_retry_s = pref_slow_retry;
    config.attack_usernames = pref_attack_usernames;
    config.attack_window_s = pref_attack_window;
    tracker = sa_tracker_new(&config);
    const sa_secrets_t *secrets = sa_credentials_uat_secrets();
    if (secrets)
        sa_tracker_set_secret_source(tracker, sa_secrets_lookup, secrets);
    sa_render_init();
    GArray *wanted = sa_sip_messages_wanted();
    sa_dns_messages_want(wanted);
    sa_esp_messages_want(wanted);
    if (pref_diameter)
        sa_diameter_messages_want(wanted);
    set_postdissector_wanted_hfids(sipauth_handle, wanted);
}

static void
sipauth_cleanup(void)
{
    set_postdissector_wanted_hfids(sipauth_handle, NULL);
    sa_tracker_free(tracker);
    tracker = NULL;
}

/* First pass: feeds the frame's SIP messages to the tracker, which remembers their ids by frame. */
static void
feed_frame(proto_tree *tree, packet_info *pinfo)
{
    sa_dns_messages_feed(tracker, tree, pinfo);
    /* Before the frame's SIP: an S-CSCF's MAA is known when the challenge it gave comes. */
    if (pref_diameter)
        sa_diameter_messages_feed(tracker, tree, pinfo);
    field_info *const *items;
    guint n = sa_sip_messages_find(tree, &items);
    /* After the frame's SIP: a retry decoded from this ESP links first, and the ESP is then no hidden retry. */
    if (n == 0) {
        sa_esp_messages_feed(tracker, tree, pinfo);
        return;
    }
    gboolean quoted = sa_sip_messages_quoted(pinfo);
    sa_sip_message_t msg;
    for (guint i = 0; i < n; i++)
        if (sa_sip_message_read(pinfo, items[i], quoted, &msg))
            sa_tracker_feed(tracker, &msg.event);
    sa_esp_messages_feed(tracker, tree, pinfo);
}

/* The earlier frames of the flow this message links to: a display filter that keeps this frame keeps them
 * for export (File > Export Specified Packets, tshark -2 -w), a challenge bringing its request along. */
static void
mark_linked_frames(packet_info *pinfo, const sa_result_t *r)
{
    const guint32 links[] = { r->first_request_frame, r->request_frame, r->challenge_frame, r->ack_frame,
                              r->retry_frame, r->result_frame, r->final_frame };
    for (gsize i = 0; i < G_N_ELEMENTS(links); i++)
        if (links[i] != 0 && links[i] < pinfo->num)
            SA_MARK_DEPENDED_UPON(pinfo, links[i]);
}

/* A frame with Cx answers and no SIP: the failing answers are shown where they are (sipauth.hss_error). */
static int
render_cx_answers(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    if (!pref_diameter)
        return 0;
    sa_cx_answer_t answers[4];
    guint n = sa_tracker_cx_answers(tracker, pinfo->num, answers, G_N_ELEMENTS(answers));
    for (guint i = 0; i < n; i++)
        sa_render_cx_answer(tvb, pinfo, tree, &answers[i]);
    return n ? (int)tvb_captured_length(tvb) : 0;
}

static int
dissect_sipauth(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    if (tracker == NULL)
        return 0;
    gboolean first_pass = !PINFO_FD_VISITED(pinfo);
    if (first_pass)
        feed_frame(tree, pinfo);
    gboolean reg_tap = have_tap_listener(sa_stats_registrations_tap());
    /* A single pass: the rows time decided (an attempt's end, an expiry) since the last frame, so that the
     * registrations table ends complete; two passes have them on the rows' own messages. */
    sa_registration_t registration;
    while (first_pass && reg_tap && sa_tracker_next_changed_registration(tracker, &registration))
        tap_queue_packet(sa_stats_registrations_tap(), pinfo, wmem_memdup(pinfo->pool, &registration,
                                                                          sizeof registration));
    sa_msg_id_t first;
    guint count = sa_tracker_frame_messages(tracker, pinfo->num, &first);
    if (count == 0)
        return render_cx_answers(tvb, pinfo, tree);

    sa_view_t view = first_pass ? SA_VIEW_SO_FAR : SA_VIEW_FINAL;
    gboolean tap = have_tap_listener(sa_stats_tap());
    gboolean flowgraph = sa_flowgraph_listening();
    for (sa_msg_id_t id = first; id < first + count; id++) {
        if (reg_tap && sa_tracker_registration(tracker, id, view, &registration))
            tap_queue_packet(sa_stats_registrations_tap(), pinfo,
                             wmem_memdup(pinfo->pool, &registration, sizeof registration));
        sa_result_t result;
        if (!sa_tracker_result(tracker, id, view, &result)) {
            if (flowgraph && first_pass)
                sa_flowgraph_queue(pinfo, id, NULL, 0);
            continue;
        }
        mark_linked_frames(pinfo, &result);
        sa_render(tvb, pinfo, tree, &result, pref_info_column);
        if (tap)
            tap_queue_packet(sa_stats_tap(), pinfo, wmem_memdup(pinfo->pool, &result, sizeof result));
        if (flowgraph)
            sa_flowgraph_queue(pinfo, id, &result, first_pass && result.role == SA_ROLE_CHALLENGE
                                                   ? sa_tracker_challenged_request(tracker, id) : 0);
    }
    return tvb_captured_length(tvb);
}

void
proto_register_sipauth(void)
{
    proto_sipauth = proto_register_protocol("SIP Authentication Challenge Analysis", "SIPAUTH", "sipauth");
    sa_render_register(proto_sipauth);
    sa_stats_register();
    sa_problems_srt_register(proto_sipauth);
    sa_flowgraph_register(proto_sipauth);
    sa_stats_users_register();

    sa_config_t defaults;
    sa_config_init_defaults(&defaults);
    pref_track_401 = defaults.track_401;
    pref_retry_timeout = defaults.retry_timeout_s;
    pref_loop_threshold = defaults.loop_threshold;
    pref_heuristic_call_id = defaults.heuristic_call_id;
    pref_slow_retry = defaults.slow_retry_s;
    pref_attack_usernames = defaults.attack_usernames;
    pref_attack_window = defaults.attack_window_s;

    module_t *module = prefs_register_protocol(proto_sipauth, NULL);
    prefs_register_bool_preference(module, "track_401", "Follow 401 challenges",
        "Also follow 401 Unauthorized / WWW-Authenticate challenges, not only 407", &pref_track_401);
    prefs_register_uint_preference(module, "retry_timeout", "Retry timeout (s)",
        "Seconds after which a challenge with no retry is missing (64*T1); a retry echoing the nonce "
        "is linked whatever its delay", 10, &pref_retry_timeout);
    prefs_register_uint_preference(module, "loop_threshold", "Loop threshold",
        "Challenges in one flow (not counting stale-nonce refreshes) that make a challenge loop",
        10, &pref_loop_threshold);
    prefs_register_bool_preference(module, "heuristic_call_id", "Match retries with a new Call-ID",
        "Link a retry that uses a new Call-ID when it echoes the challenge's nonce and realm, from the same "
        "From URI, within the retry timeout", &pref_heuristic_call_id);
    prefs_register_bool_preference(module, "info_column", "Outcome tag in the Info column",
        "Append the challenge's outcome to the Info column, e.g. [auth: NO RETRY]", &pref_info_column);
    prefs_register_uint_preference(module, "slow_retry", "Slow retry (s)",
        "Seconds after its challenge from which an authenticated retry is slow (sipauth.slow_retry, with the "
        "UA's DNS queries in between); 0: never", 10, &pref_slow_retry);
    prefs_register_uint_preference(module, "attack_usernames", "Attack: user names",
        "Distinct user names with refused credentials or unanswered challenges from one source, within the "
        "attack window, that make a credential attack (sipauth.credential_attack); 0: never", 10,
        &pref_attack_usernames);
    prefs_register_uint_preference(module, "attack_window", "Attack window (s)",
        "Seconds within which a source's failing user names are counted", 10, &pref_attack_window);
    prefs_register_bool_preference(module, "diameter", "Look at Diameter Cx",
        "Link each challenge to the HSS's Multimedia-Auth answer that gave its vector (TS 29.229), verify "
        "retries with that vector's XRES or HA1, and show the Server-Assignment and the HSS's errors",
        &pref_diameter);
    sa_credentials_uat_register(module);

    sipauth_handle = register_dissector("sipauth", dissect_sipauth, proto_sipauth);
    register_init_routine(sipauth_init);
    register_cleanup_routine(sipauth_cleanup);
}

void
proto_reg_handoff_sipauth(void)
{
    sa_sip_messages_init();
    sa_dns_messages_init();
    sa_esp_messages_init();
    sa_diameter_messages_init();
    register_postdissector(sipauth_handle);
    sa_flow_filter_register(&tracker);
}
