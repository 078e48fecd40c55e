using System.Buffers.Binary;
using System.Net;
using System.Text;
using Punch.Core.Peering;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;
using static Punch.Core.Tests.Support.MalformedInput;

namespace Punch.Core.Tests.Protocol;

/// <summary>Punch's own attributes and the peer data frame: every malformed value is refused.</summary>
public sealed class MalformedPunchAttributeTests
{

    // ---- Punch attributes ----

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]             // invalid continuation byte
    [InlineData(new byte[] { 0x61, 0xFF, 0x62 })]       // 0xFF never appears in UTF-8
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]       // an encoded surrogate
    [InlineData(new byte[] { 0xC0, 0xAF })]             // overlong '/'
    public void Invalid_utf8_in_a_name_is_rejected(byte[] name)
    {
        var datagram = Wire.Build(RegisterType, b => b.Add(PunchAttributeType.PeerName, name));
        Assert.False(RegisterRequest.TryRead(datagram, out _));

        var connect = Wire.Build(new StunMessageType(PunchMethod.Connect, StunClass.Request),
            b => b.AddString(PunchAttributeType.PeerName, "alice").Add(PunchAttributeType.TargetPeer, name));
        Assert.False(ConnectRequest.TryRead(connect, out _));
    }

    [Fact]
    public void Invalid_utf8_in_a_reason_is_rejected()
    {
        var report = Wire.Build(new StunMessageType(PunchMethod.Report, StunClass.Request), b => b
            .AddString(PunchAttributeType.PeerName, "alice")
            .Add(PunchAttributeType.SessionId, 0, 0, 0, 0, 0, 0, 0, 1)
            .Add(PunchAttributeType.Outcome, (byte)SessionOutcome.Failed)
            .Add(PunchAttributeType.Reason, 0xC3, 0x28));
        Assert.False(ReportRequest.TryRead(report, out _));
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("A.b_c-9", true)]
    [InlineData("", false)]
    [InlineData("al ice", false)]
    [InlineData("alice\n", false)]
    [InlineData("al:ice", false)]
    [InlineData("al/ice", false)]
    [InlineData("alïce", false)]
    public void Peer_names_follow_the_rules(string name, bool valid)
    {
        Assert.Equal(valid, PeerIdentity.IsValidName(name));
        var register = new RegisterRequest(Wire.FixedTransactionId, new PeerIdentity("home", name), []);
        Assert.Equal(valid, RegisterRequest.TryRead(Wire.Write(register.WriteTo), out _));
        var inNetwork = new RegisterRequest(Wire.FixedTransactionId, new PeerIdentity(name, "alice"), []);
        Assert.Equal(valid, RegisterRequest.TryRead(Wire.Write(inNetwork.WriteTo), out _));
    }

    [Theory]
    [InlineData(PeerIdentity.MaxNameBytes, true)]
    [InlineData(PeerIdentity.MaxNameBytes + 1, false)]
    public void Names_are_at_most_64_characters(int length, bool valid)
    {
        var register = new RegisterRequest(Wire.FixedTransactionId, new PeerIdentity("home", new string('a', length)), []);
        Assert.Equal(valid, RegisterRequest.TryRead(Wire.Write(register.WriteTo), out _));
    }

    [Fact]
    public void Missing_network_means_the_default_network()
    {
        var datagram = Wire.Build(RegisterType, b => b.AddString(PunchAttributeType.PeerName, "alice"));
        Assert.True(RegisterRequest.TryRead(datagram, out var request));
        Assert.Equal(new PeerIdentity(PeerIdentity.DefaultNetwork, "alice"), request.Peer);
        Assert.Empty(request.HostCandidates);
    }

    [Fact]
    public void Writers_send_at_most_16_candidates_so_their_own_readers_accept_the_message()
    {
        var endPoints = Enumerable.Range(1, 17).Select(i => new IPEndPoint(IPAddress.Parse($"198.18.0.{i}"), 1000 + i)).ToArray();
        var register = new RegisterRequest(Wire.FixedTransactionId, MessageCatalog.Alice, [.. endPoints]);
        Assert.True(RegisterRequest.TryRead(Wire.Write(register.WriteTo), out var readRegister));
        Assert.Equal(endPoints.Take(16), readRegister.HostCandidates);

        var introduction = new Introduction(Wire.FixedTransactionId, MessageCatalog.Session, "bob", true, new IceCredentials("l", "lp"), new IceCredentials("r", "rp"),
            [.. endPoints.Select(e => new Candidate(CandidateKind.Host, e))]);
        Assert.True(Introduction.TryRead(Wire.Write(introduction.WriteTo), out var readIntroduction));
        Assert.Equal(16, readIntroduction.Candidates.Length);
    }

    [Theory]
    [InlineData(16, true)]
    [InlineData(17, false)]
    public void Readers_refuse_more_than_16_candidates(int count, bool accepted)
    {
        var datagram = Wire.Build(RegisterType, b =>
        {
            b.AddString(PunchAttributeType.PeerName, "alice");
            for (int i = 1; i <= count; i++)
            {
                var value = new byte[12];
                value[0] = (byte)CandidateKind.Host;
                StunAddress.WriteXor(value.AsSpan(4), new IPEndPoint(IPAddress.Parse($"198.18.0.{i}"), 1000 + i), Wire.FixedTransactionId);
                b.Add(PunchAttributeType.Candidate, value);
            }
        });
        Assert.Equal(accepted, RegisterRequest.TryRead(datagram, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(0xFF)]
    public void Unknown_address_family_is_rejected(byte family)
    {
        var xorMapped = Hex.Parse("0001 2c84 e721c045");
        xorMapped[1] = family;
        var response = Wire.Build(StunMessageType.BindingSuccess, b => b.Add(StunAttributeType.XorMappedAddress, xorMapped));
        Assert.False(BindingResponse.TryRead(response, out _));

        var register = Wire.Build(RegisterType, b => b.AddString(PunchAttributeType.PeerName, "alice").Add(PunchAttributeType.Candidate, [1, 0, 0, 0, .. xorMapped]));
        Assert.False(RegisterRequest.TryRead(register, out _));
    }

    [Theory]
    [InlineData("0001 2c84 e721c0")]                                       // IPv4 one byte short
    [InlineData("0001 2c84 e721c045 00")]                                  // IPv4 one byte long
    [InlineData("0002 329a 0113a9fa 01020304 05060708 090a0b")]            // IPv6 one byte short
    [InlineData("0002 329a 0113a9fa")]                                     // IPv6 family, IPv4 length
    public void Address_of_the_wrong_length_for_its_family_is_rejected(string value)
    {
        var response = Wire.Build(StunMessageType.BindingSuccess, b => b.Add(StunAttributeType.XorMappedAddress, Hex.Parse(value)));
        Assert.False(BindingResponse.TryRead(response, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Unknown_candidate_kind_is_rejected(byte kind)
    {
        var register = Wire.Build(RegisterType, b => b.AddString(PunchAttributeType.PeerName, "alice").Add(PunchAttributeType.Candidate, Hex.Parse($"{kind:x2}000000 0001 2c84 e721c045")));
        Assert.False(RegisterRequest.TryRead(register, out _));
    }

    // Server-reflexive (02) is accepted once: the peer's endpoint of the other family, which only the server's endpoint of that
    // family has seen (OtherFamilyWireTests); the server keeps it only if it is of the other family.
    [Theory]
    [InlineData("03")] // peer-reflexive
    [InlineData("04")] // relayed
    public void Register_accepts_only_host_mapped_and_one_server_reflexive_candidate(string kind)
    {
        var register = Wire.Build(RegisterType, b => b.AddString(PunchAttributeType.PeerName, "alice").Add(PunchAttributeType.Candidate, Hex.Parse($"{kind}000000 0001 2c84 e721c045")));
        Assert.False(RegisterRequest.TryRead(register, out _));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void Register_carries_at_most_two_mapped_candidates(int count, bool accepted)
    {
        var datagram = Wire.Build(RegisterType, b =>
        {
            b.AddString(PunchAttributeType.PeerName, "alice");
            for (int i = 1; i <= count; i++)
            {
                var value = new byte[12];
                value[0] = (byte)CandidateKind.Mapped;
                StunAddress.WriteXor(value.AsSpan(4), new IPEndPoint(IPAddress.Parse($"203.0.113.{i}"), 40000 + i), Wire.FixedTransactionId);
                b.Add(PunchAttributeType.Candidate, value);
            }
        });
        Assert.Equal(accepted, RegisterRequest.TryRead(datagram, out var request));
        if (accepted)
        {
            Assert.Equal(count, request.Mapped.Length);
            Assert.Empty(request.HostCandidates);
        }
    }

    [Fact]
    public void Mapped_candidates_round_trip_apart_from_host_candidates_and_the_writer_keeps_two()
    {
        IPEndPoint[] mapped = [IPEndPoint.Parse("203.0.113.7:40001"), IPEndPoint.Parse("203.0.113.8:40002"), IPEndPoint.Parse("203.0.113.9:40003")];
        var hosts = Enumerable.Range(1, 16).Select(i => new IPEndPoint(IPAddress.Parse($"192.168.1.{i}"), 4000 + i)).ToArray();
        var register = new RegisterRequest(Wire.FixedTransactionId, MessageCatalog.Alice, [.. hosts], MappedCandidates: [.. mapped]);
        Assert.True(RegisterRequest.TryRead(Wire.Write(register.WriteTo), out var read));
        Assert.Equal(mapped.Take(2), read.Mapped);
        // Mapped go first, so the 16-candidate limit drops host addresses, never the mapping.
        Assert.Equal(hosts.Take(14), read.HostCandidates);
    }

    [Theory]
    [InlineData("lo:cal", "lpass")]
    [InlineData("lufr", "")]
    public void Introduction_with_an_unusable_credential_is_rejected(string localUfrag, string localPassword)
    {
        var introduction = new Introduction(Wire.FixedTransactionId, MessageCatalog.Session, "bob", true, new IceCredentials(localUfrag, localPassword),
            new IceCredentials("rufr", "rpass"), []);
        Assert.False(Introduction.TryRead(Wire.Write(introduction.WriteTo), out _));
    }

    [Fact]
    public void Introduction_with_an_unknown_role_is_rejected()
    {
        var datagram = Catalog("Introduction");
        int role = Wire.FindAttribute(datagram, PunchAttributeType.Role);
        datagram[role + 4] = 2;
        Assert.False(Introduction.TryRead(datagram, out _));
    }

    [Theory]
    [InlineData(PunchAttributeType.Outcome, 0)]
    [InlineData(PunchAttributeType.Outcome, 5)]
    [InlineData(PunchAttributeType.PathKind, 0)]
    [InlineData(PunchAttributeType.PathKind, 3)]
    public void Report_with_an_unknown_enum_value_is_rejected(ushort attribute, byte value)
    {
        var datagram = Catalog("ReportRequest");
        datagram[Wire.FindAttribute(datagram, attribute) + 4] = value;
        Assert.False(ReportRequest.TryRead(datagram, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Connect_response_with_an_unknown_status_is_rejected(byte status)
    {
        var datagram = Catalog("ConnectResponse");
        datagram[Wire.FindAttribute(datagram, PunchAttributeType.ConnectStatus) + 4] = status;
        Assert.False(ConnectResponse.TryRead(datagram, out _));
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(7, 0)]
    [InlineData(4, 100)]
    public void Error_code_outside_300_to_699_is_rejected(byte errorClass, byte number)
    {
        var datagram = Wire.Build(new StunMessageType(PunchMethod.Connect, StunClass.ErrorResponse), b => b.Add(StunAttributeType.ErrorCode, 0, 0, errorClass, number));
        Assert.False(ErrorResponse.TryRead(datagram, out _));
    }

    [Fact]
    public void Session_id_of_the_wrong_length_is_rejected()
    {
        var datagram = Wire.Build(new StunMessageType(PunchMethod.Introduction, StunClass.SuccessResponse), b => b.Add(PunchAttributeType.SessionId, 1, 2, 3, 4));
        Assert.False(IntroductionAck.TryRead(datagram, out _));
    }

    [Fact]
    public void Long_reasons_are_cut_on_a_character_boundary()
    {
        string reason = string.Concat(Enumerable.Repeat("é😀", 100)); // 2 + 4 bytes per repetition, 600 bytes
        var report = new ReportRequest(Wire.FixedTransactionId, MessageCatalog.Alice, MessageCatalog.Session, SessionOutcome.Failed, Reason: reason);
        Assert.True(ReportRequest.TryRead(Wire.Write(report.WriteTo), out var read));
        Assert.NotNull(read.Reason);
        Assert.StartsWith(read.Reason, reason, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(read.Reason), 256 - 5, 256);

        var error = new ErrorResponse(PunchMethod.Connect, Wire.FixedTransactionId, 400, new string('x', 1000));
        Assert.True(ErrorResponse.TryRead(Wire.Write(error.WriteTo), out var readError));
        Assert.Equal(ErrorResponse.MaxReasonCharacters, readError.Reason.Length);

        var multiByte = new ErrorResponse(PunchMethod.Connect, Wire.FixedTransactionId, 400, reason);
        Assert.True(ErrorResponse.TryRead(Wire.Write(multiByte.WriteTo), out var readMultiByte));
        Assert.StartsWith(readMultiByte.Reason, reason, StringComparison.Ordinal);
        Assert.InRange(readMultiByte.Reason.Length, ErrorResponse.MaxReasonCharacters - 1, ErrorResponse.MaxReasonCharacters);
    }

    // ---- PeerFrame ----

    [Fact]
    public void Peer_frame_may_carry_padding_after_its_length()
    {
        Assert.True(PeerFrame.TryRead([.. Catalog("PeerFrame"), 0, 0, 0], out var frame));
        Assert.Equal("hi", frame.Text);
    }

    [Theory]
    [InlineData("3fff 000d 01 00000000 0000000000000000")]         // channel below 0x4000 (looks like STUN)
    [InlineData("5000 000d 01 00000000 0000000000000000")]         // channel above 0x4FFF
    [InlineData("4000 000c 01 00000000 00000000000000")]           // shorter than the fixed payload
    [InlineData("4000 000e 01 00000000 0000000000000000")]         // declared length beyond the datagram
    [InlineData("4000 000d 00 00000000 0000000000000000")]         // type 0
    [InlineData("4000 000d 06 00000000 0000000000000000")]         // type 6
    [InlineData("4000 000f 03 00000000 0000000000000000 c328")]    // invalid UTF-8 text
    [InlineData("4000")]
    public void Malformed_peer_frame_is_rejected(string hex)
    {
        Assert.False(PeerFrame.TryRead(Hex.Parse(hex), out _));
    }

    [Fact]
    public void Peer_frame_text_is_at_most_1024_bytes()
    {
        var largest = new PeerFrame(0x4000, PeerFrameType.Message, 1, 2, new string('x', PeerFrame.MaxTextBytes));
        var buffer = new byte[PeerFrame.HeaderLength + PeerFrame.FixedPayloadLength + PeerFrame.MaxTextBytes + 1];
        Assert.True(PeerFrame.TryRead(buffer.AsSpan(0, largest.WriteTo(buffer)), out var read));
        Assert.Equal(largest, read);

        var tooLarge = largest with { Text = largest.Text + "x" };
        Assert.Throws<ArgumentException>(() => tooLarge.WriteTo(buffer));

        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), PeerFrame.FixedPayloadLength + PeerFrame.MaxTextBytes + 1);
        Assert.False(PeerFrame.TryRead(buffer, out _));
    }
}
