namespace Punch.Core.Streams;

internal interface ILossListener
{
    void OnFrameAcked(in SentFrame frame);
    void OnFrameLost(in SentFrame frame);
}
