using System.Text;
using Simd.Runtime.Serialization;

namespace Simd.Runtime.Tests.Serialization;

public class Crc32CTests
{
    [Fact]
    public void CheckValueOfTheCatalogue()
    {
        // The "check" value of CRC-32C in the CRC catalogue: the checksum of the ASCII digits 1..9.
        var digits = Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xE3069283u, Crc32C.AppendTable(0, digits));
        Assert.Equal(0xE3069283u, Crc32C.AppendHardware(0, digits));
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void TableAndHardwareAgreeAndAppendEqualsWhole()
    {
        var rng = new Random(7);
        var data = new byte[301];
        rng.NextBytes(data);
        for (int length = 0; length <= 300; length++)
        {
            var span = data.AsSpan(0, length);
            uint whole = Crc32C.AppendTable(0, span);
            Assert.Equal(whole, Crc32C.AppendHardware(0, span));
            int split = length / 3;
            Assert.Equal(whole, Crc32C.Append(Crc32C.Append(0, span[..split]), span[split..]));
        }
    }
}
