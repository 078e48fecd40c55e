using System.Buffers.Binary;
using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Expose;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Fuzz;

public static partial class SeedCorpus
{
    /// <summary>A comprehension-required attribute type no Punch reader knows (RFC 8489 §14: 0x0000-0x7FFF).</summary>
    private const ushort UnknownRequiredAttribute = 0x0033;

    private static Dictionary<string, byte[]>? RelayAndDiscoveryMessages(string target) => target switch
    {
        "relay-activate" => new()
        {
            ["valid"] = Write(d => new RelayActivateRequest(Tid, Session, "lufr").WriteTo(d, FuzzTargets.RelayPasswordKey)),
            ["cookie"] = Write(d => new RelayActivateRequest(Tid, Session, "lufr", Cookie).WriteTo(d, FuzzTargets.RelayPasswordKey)),
        },
        "relay-activate-response" => new() { ["valid"] = Write(new RelayActivateResponse(Tid, Session, 0x4123, PublicV4, TimeSpan.FromSeconds(30)).WriteTo) },
        "relay-closed" => new()
        {
            ["valid"] = Write(new RelayClosedIndication(Tid, Session, "idle for 30 s").WriteTo),
            ["no-reason"] = Write(new RelayClosedIndication(Tid, Session, null).WriteTo),
        },
        "behaviour-request" or "behaviour-check" => new()
        {
            ["change-both"] = Write(new BehaviourRequest(Tid, new ChangeRequest(ChangeAddress: true, ChangePort: true), new ResponsePort(40000)).WriteTo),
            ["plain"] = Write(new BehaviourRequest(Tid).WriteTo),
            ["change-port"] = Write(new BehaviourRequest(Tid, new ChangeRequest(ChangeAddress: false, ChangePort: true)).WriteTo),
            ["other-family-query"] = Write(new BehaviourRequest(Tid, AsksOtherFamily: true).WriteTo),
            ["unknown-attribute"] = Write(d => BindingRequestWith(d, UnknownRequiredAttribute, [0, 0, 0, 0])),
            ["padding-and-response-port"] = Write(d => BindingRequestWith(d, NatBehaviourAttributeType.Padding, new byte[64], NatBehaviourAttributeType.ResponsePort)),
        },
        "behaviour-response" => new()
        {
            ["rfc5780"] = Write(d => new BehaviourResponse(Tid, PublicV4, new IPEndPoint(IPAddress.Parse("203.0.113.1"), 3478), new IPEndPoint(IPAddress.Parse("203.0.113.2"), 3479)).WriteTo(d, 548)),
            ["ipv6"] = Write(d => new BehaviourResponse(Tid, HostV6, HostV6, HostV6).WriteTo(d, 548)),
            ["padded"] = Write(d => new BehaviourResponse(Tid, PublicV4).WriteTo(d, 548, padTo: 200)),
            ["other-family"] = Write(d => new BehaviourResponse(Tid, PublicV4, OtherFamily: HostV6).WriteTo(d, 548)),
        },
        "binding-error" => new()
        {
            ["unknown-attributes"] = Write(d => new BindingErrorResponse(Tid, BindingErrorResponse.UnknownAttribute, "unknown attributes", [UnknownRequiredAttribute, 0x0044]).WriteTo(d, 548)),
            ["bad-request"] = Write(d => new BindingErrorResponse(Tid, BindingErrorResponse.BadRequest, "bad request").WriteTo(d, 548)),
        },
        "classic-binding" => new() { ["change-request"] = ClassicBindingRequest(change: true), ["plain"] = ClassicBindingRequest(change: false) },
        _ => null,
    };

    private static Dictionary<string, byte[]>? ExposeMessages(string target) => target switch
    {
        "expose-register" => new()
        {
            ["valid"] = ExposeRegister(),
            ["with-secret"] = Write(new ExposeRegisterRequest(Tid, Alice, 8080, "127.0.0.1:80", new UInt128(0x0102030405060708, 0x090A0B0C0D0E0F10)).WriteTo),
        },
        "expose-register-response" => new() { ["valid"] = ExposeRegisterResponse() },
        "expose-open" => new() { ["valid"] = ExposeOpen(), ["ipv6"] = Write(new ExposeOpenIndication(Tid, 7, UInt128.MaxValue, HostV6).WriteTo) },
        "expose-attach" => new() { ["valid"] = Write(new ExposeAttachIndication(Tid, 7, new UInt128(0x0102030405060708, 0x090A0B0C0D0E0F10)).WriteTo) },
        "expose-open-failed" => new() { ["valid"] = Write(new ExposeOpenFailedIndication(Tid, 7, "connection refused").WriteTo) },
        "expose-keepalive" => new() { ["valid"] = ExposeKeepalive() },
        // What a control connection carries: a conversation back to back, then the same cut mid-message.
        "expose-stream" => new()
        {
            ["conversation"] = [.. ExposeRegister(), .. ExposeRegisterResponse(), .. ExposeKeepalive(), .. ExposeOpen()],
            ["one-message"] = ExposeKeepalive(),
            ["cut-short"] = [.. ExposeRegister(), .. ExposeOpen()[..30]],
        },
        _ => null,
    };

    private static byte[] ExposeRegister() => Write(new ExposeRegisterRequest(Tid, Alice, 8080, "127.0.0.1:80").WriteTo);
    private static byte[] ExposeRegisterResponse() => Write(new ExposeRegisterResponse(Tid, 8080, TimeSpan.FromSeconds(15), new UInt128(0x0102030405060708, 0x090A0B0C0D0E0F10)).WriteTo);
    private static byte[] ExposeOpen() => Write(new ExposeOpenIndication(Tid, 7, new UInt128(1, 2), PublicV4).WriteTo);
    private static byte[] ExposeKeepalive() => Write(new ExposeKeepaliveIndication(Tid).WriteTo);

    /// <summary>A Binding request with an attribute the behaviour writer never writes, and optionally RESPONSE-PORT after it.</summary>
    private static int BindingRequestWith(Span<byte> destination, ushort type, byte[] value, ushort? alsoEmpty = null)
    {
        var writer = new StunWriter(destination, StunMessageType.BindingRequest, Tid);
        writer.Add(type, value);
        if (alsoEmpty is { } second)
        {
            writer.Add(second, [0x9C, 0x40, 0, 0]);
        }

        writer.AddFingerprint();
        return writer.Length;
    }

    /// <summary>An RFC 3489 Binding request (no magic cookie, 128-bit id), as Debian's <c>stun</c> client sends it; Core only reads these.</summary>
    private static byte[] ClassicBindingRequest(bool change)
    {
        var datagram = new byte[StunConstants.HeaderLength + (change ? 4 + ChangeRequest.ValueLength : 0)];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, 0x0001);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), (ushort)(datagram.Length - StunConstants.HeaderLength));
        BinaryPrimitives.WriteUInt128BigEndian(datagram.AsSpan(4), new UInt128(0x1111111122222222, 0x3333333344444444));
        if (change)
        {
            BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(20), NatBehaviourAttributeType.ChangeRequest);
            BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(22), ChangeRequest.ValueLength);
            new ChangeRequest(ChangeAddress: true, ChangePort: true).WriteTo(datagram.AsSpan(24));
        }

        return datagram;
    }
}
