namespace Punch.Core.Stun;

internal static class IntegrityAlgorithmExtensions
{
    public static int Length(this IntegrityAlgorithm algorithm) =>
        algorithm == IntegrityAlgorithm.Sha1 ? StunConstants.MessageIntegrityLength : StunConstants.MessageIntegritySha256Length;
}
