-- What a user would script instead of sipauth: links a 401/407 to its request and to the retry, nothing more.
-- Benchmark baseline only: one SIP message per frame, keyed by Call-ID + CSeq method, no retransmissions.

local p = Proto("sipauth_basic", "SIP auth links (Lua baseline)")
local f_request = ProtoField.framenum("sipauth_basic.request_frame", "request frame", base.NONE, frametype.REQUEST)
local f_challenge = ProtoField.framenum("sipauth_basic.challenge_frame", "challenge frame", base.NONE, frametype.RESPONSE)
local f_retry = ProtoField.framenum("sipauth_basic.retry_frame", "retry frame", base.NONE, frametype.REQUEST)
p.fields = { f_request, f_challenge, f_retry }

local sip_method = Field.new("sip.Method")
local sip_status = Field.new("sip.Status-Code")
local sip_call_id = Field.new("sip.Call-ID")
local sip_cseq_method = Field.new("sip.CSeq.method")
local sip_authorization = Field.new("sip.Authorization")
local sip_proxy_authorization = Field.new("sip.Proxy-Authorization")

local open_flows   -- Call-ID .. " " .. method -> { request = n, challenge = n }
local links        -- frame number -> { request = n, challenge = n, retry = n }

function p.init()
    open_flows = {}
    links = {}
end

local function link(frame, what, other)
    local l = links[frame]
    if l == nil then
        l = {}
        links[frame] = l
    end
    l[what] = other
end

local function learn(frame)
    local call_id = sip_call_id()
    local cseq_method = sip_cseq_method()
    if call_id == nil or cseq_method == nil then
        return
    end
    local key = tostring(call_id.value) .. " " .. tostring(cseq_method.value)
    local status = sip_status()
    if status ~= nil then
        local code = status.value
        local flow = open_flows[key]
        if (code == 401 or code == 407) and flow ~= nil and flow.challenge == nil then
            flow.challenge = frame
            link(flow.request, "challenge", frame)
            link(frame, "request", flow.request)
        end
        return
    end
    local method = sip_method()
    if method == nil or method.value == "ACK" or method.value == "CANCEL" then
        return
    end
    local flow = open_flows[key]
    if sip_authorization() ~= nil or sip_proxy_authorization() ~= nil then
        if flow ~= nil and flow.challenge ~= nil then
            link(frame, "challenge", flow.challenge)
            link(frame, "request", flow.request)
            link(flow.challenge, "retry", frame)
            link(flow.request, "retry", frame)
        end
        open_flows[key] = nil
    elseif flow == nil or flow.request ~= frame then
        open_flows[key] = { request = frame }
    end
end

function p.dissector(tvb, pinfo, tree)
    if not pinfo.visited then
        learn(pinfo.number)
    end
    local l = links[pinfo.number]
    if l == nil then
        return
    end
    local t = tree:add(p)
    if l.request then t:add(f_request, l.request):set_generated() end
    if l.challenge then t:add(f_challenge, l.challenge):set_generated() end
    if l.retry then t:add(f_retry, l.retry):set_generated() end
end

register_postdissector(p)
