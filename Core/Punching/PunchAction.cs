namespace Punch.Core.Punching;

/// <summary>What the socket loop driving a <see cref="PunchSession"/> must do.</summary>
public abstract record PunchAction;
