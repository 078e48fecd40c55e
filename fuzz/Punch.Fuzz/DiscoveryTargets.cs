using Punch.Core.Discovery;
using Punch.Core.Stun;

namespace Punch.Fuzz;

public static partial class FuzzTargets
{
    private static FuzzTarget[] DiscoveryTargets() =>
    [
        Message<BehaviourRequest>("behaviour-request", BehaviourRequest.TryRead, (m, d) => m.WriteTo(d)),
        new("behaviour-check", "BehaviourRequest.Check (what a server answers: valid, 400 or 420 with UNKNOWN-ATTRIBUTES) and the error it would write", CheckBehaviourRequest),
        Message<BehaviourResponse>("behaviour-response", BehaviourResponse.TryRead, (m, d) => m.WriteTo(d, d.Length)),
        Message<BindingErrorResponse>("binding-error", BindingErrorResponse.TryRead, (m, d) => m.WriteTo(d, StunConstants.MaxMessageLength)),
        new("classic-binding", "ClassicBindingRequest.TryRead (RFC 3489, no magic cookie) and the response written for anything it accepts", ReadClassicBinding),
    ];

    /// <summary>What the server does with any Binding request: sort it out, then answer 400/420 within the amplification budget.</summary>
    private static void CheckBehaviourRequest(byte[] input)
    {
        if (!StunMessage.TryParse(input, out var message))
        {
            return;
        }

        Span<ushort> unknown = stackalloc ushort[UnknownAttributesValue.MaxTypes];
        var check = BehaviourRequest.Check(message, out _, unknown, out int unknownCount);
        if (check == BindingRequestCheck.Valid)
        {
            return;
        }

        var error = new BindingErrorResponse(message.TransactionId, check == BindingRequestCheck.Malformed ? BindingErrorResponse.BadRequest : BindingErrorResponse.UnknownAttribute,
            "rejected", unknown[..unknownCount].ToArray());
        var buffer = new byte[WriteBufferLength];
        int length = error.WriteTo(buffer, input.Length);
        if (!BindingErrorResponse.TryRead(buffer.AsSpan(0, length), out var read) || read.Code != error.Code)
        {
            throw new FuzzPropertyException($"the error answering {Convert.ToHexString(input)} does not read back: {Convert.ToHexString(buffer, 0, length)}");
        }
    }

    private static void ReadClassicBinding(byte[] input)
    {
        if (!ClassicBindingRequest.TryRead(input, out var request))
        {
            return;
        }

        var buffer = new byte[WriteBufferLength];
        request.WriteResponse(buffer, SessionPeer, SessionPeer, request.Change.AsksForChange ? SessionPeer : null);
    }
}
