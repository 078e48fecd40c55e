namespace Punch.Core.Streams;

/// <summary>Which end of the connection: the opener (<c>punch forward</c>) or the acceptor (<c>punch expose</c>). It orders the keys and the stream ids.</summary>
public enum StreamRole : byte
{
    Opener = 1,
    Acceptor = 2,
}
