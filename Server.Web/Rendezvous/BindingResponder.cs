using System.Buffers.Binary;
using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Stun;
using Punch.Server.Udp;

namespace Punch.Server.Rendezvous;

/// <summary>
/// Answers STUN Binding requests for anyone, on every listener cell: RFC 8489 (XOR-MAPPED-ADDRESS,
/// FINGERPRINT checked and added, SOFTWARE, 400 and 420 errors), RFC 5780 (RESPONSE-ORIGIN,
/// OTHER-ADDRESS, CHANGE-REQUEST, RESPONSE-PORT, PADDING) and RFC 3489 clients (RFC 8489 §12.2).
/// No answer is ever larger than its request plus <see cref="ReplyBudget.AmplificationAllowance"/>.
/// Stateless and lock-free: every receive loop may call it at once.
/// </summary>
public sealed class BindingResponder(BindingListeners listeners, RendezvousStats stats, RendezvousEndpoint endpoint)
{
    private const ushort BindingRequestType = 0x0001;

    /// <summary>
    /// Binding requests may be padded past <see cref="StunConstants.MaxMessageLength"/>: RFC 5780 §7.6 PADDING (coturn's
    /// clients pad 1500 bytes) tests fragmentation. The answer stays within the reply buffer and the request's size.
    /// </summary>
    public const int MaxRequestLength = 2048;

    /// <summary>Cheap first look for the main loop: message type Binding request (RFC 8489 or RFC 3489 framing).</summary>
    public static bool IsBindingRequest(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= StunConstants.HeaderLength && BinaryPrimitives.ReadUInt16BigEndian(datagram) == BindingRequestType;

    /// <summary>A <see cref="DatagramHandler"/> for a cell that serves Binding only.</summary>
    public DatagramHandler HandlerFor(ListenerCell cell) => (datagram, from, reply, sender) =>
    {
        if (!IsBindingRequest(datagram))
        {
            stats.Malformed();
            return;
        }

        Answer(datagram, from, cell, reply, sender);
    };

    /// <summary>
    /// Answers (or drops) one Binding request that arrived on <paramref name="cell"/> through <paramref name="arrivedOn"/>: an answer
    /// from the same cell leaves through it (the receive thread's own socket and batch), one for another cell through that cell's listener.
    /// </summary>
    public void Answer(ReadOnlySpan<byte> datagram, IPEndPoint from, ListenerCell cell, Span<byte> reply, IDatagramSender arrivedOn)
    {
        // Within the 3x of any answer to an unproven source too: a bare 20-byte request got 64 bytes (3.2x, SOFTWARE
        // included) while its answers bypassed the sender the amplification test records; now optional attributes give way.
        int maxLength = Math.Min(reply.Length, ReplyBudget.ForError(datagram.Length));
        if (!StunMessage.TryParse(datagram, out var message))
        {
            if (ClassicBindingRequest.TryRead(datagram, out var classic))
            {
                AnswerClassic(classic, from, cell, reply, arrivedOn);
            }
            else
            {
                stats.Malformed();
            }

            return;
        }

        // RFC 8489 §7.3: a wrong FINGERPRINT means the datagram is not STUN meant for us; silence.
        if (message.HasFingerprint && !message.VerifyFingerprint())
        {
            stats.Malformed();
            return;
        }

        stats.BindingRequest();
        Span<ushort> unknown = stackalloc ushort[UnknownAttributesValue.MaxTypes];
        switch (BehaviourRequest.Check(message, out var request, unknown, out int unknownCount))
        {
            case BindingRequestCheck.UnknownAttributes:
                // RFC 8489 §6.3.1.1: 420 listing the comprehension-required attributes we do not understand.
                SendError(new BindingErrorResponse(message.TransactionId, BindingErrorResponse.UnknownAttribute, "Unknown Attribute", unknown[..unknownCount].ToArray()), from, arrivedOn, reply, maxLength);
                return;
            case BindingRequestCheck.Malformed:
                SendError(new BindingErrorResponse(message.TransactionId, BindingErrorResponse.BadRequest, "Bad Request: malformed CHANGE-REQUEST or RESPONSE-PORT, or PADDING with RESPONSE-PORT"), from, arrivedOn, reply, maxLength);
                return;
        }

        var target = cell.Changed(request.Change.ChangeAddress, request.Change.ChangePort);
        if (!TrySender(target, cell, arrivedOn, out var sender))
        {
            // RFC 5780 §6.1: "If the Request contains the CHANGE-REQUEST attribute and the server does not have an
            // alternate address and port as described above, the server MUST generate an error response of type 420."
            SendError(new BindingErrorResponse(message.TransactionId, BindingErrorResponse.UnknownAttribute, $"Unknown Attribute: this server cannot {request.Change}", [NatBehaviourAttributeType.ChangeRequest]), from, arrivedOn, reply, maxLength);
            return;
        }

        var destination = request.ResponsePort is { } port ? new IPEndPoint(from.Address, port.Port) : from;
        int padTo = message.TryGetAttribute(NatBehaviourAttributeType.Padding, out _) ? datagram.Length : 0;
        var response = new BehaviourResponse(message.TransactionId, from, listeners.Advertised(target), listeners.Advertised(cell.Other),
            request.AsksOtherFamily ? endpoint.OtherFamilyThan(from) : null);
        sender.Send(reply[..response.WriteTo(reply, maxLength, padTo)], destination);
    }

    private static void SendError(BindingErrorResponse error, IPEndPoint from, IDatagramSender arrivedOn, Span<byte> reply, int maxLength) =>
        arrivedOn.Send(reply[..error.WriteTo(reply, maxLength)], from);

    /// <summary>The same cell answers through the socket the request came to; another cell through its listener, when there is one.</summary>
    private bool TrySender(ListenerCell target, ListenerCell cell, IDatagramSender arrivedOn, out IDatagramSender sender)
    {
        if (target == cell && listeners.TryGet(cell, out _))
        {
            sender = arrivedOn;
            return true;
        }

        return listeners.TryGet(target, out sender);
    }

    /// <summary>
    /// RFC 3489 has no error for a change the server cannot make, and its clients read silence as "blocked",
    /// which is what a missing alternate means to them; so such a request is dropped.
    /// </summary>
    private void AnswerClassic(ClassicBindingRequest request, IPEndPoint from, ListenerCell cell, Span<byte> reply, IDatagramSender arrivedOn)
    {
        stats.BindingRequest();
        var target = cell.Changed(request.Change.ChangeAddress, request.Change.ChangePort);
        if (!TrySender(target, cell, arrivedOn, out var sender))
        {
            return;
        }

        var source = listeners.Advertised(target) ?? new IPEndPoint(IPAddress.Any, 0);
        sender.Send(reply[..request.WriteResponse(reply, from, source, listeners.Advertised(cell.Other))], from);
    }
}
