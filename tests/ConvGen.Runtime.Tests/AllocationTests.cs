using System;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>After its first call on a thread (which may size the scratch buffer), Forward allocates nothing.</summary>
public class AllocationTests
{
    [Theory]
    [InlineData(3, 8, 3, 1, 0, 1, 20, 37)] // read in place, 16 lanes
    [InlineData(3, 8, 3, 1, 1, 1, 20, 37)] // staged
    [InlineData(4, 6, 3, 2, 1, 2, 11, 23)] // phase split, grouped
    [InlineData(5, 5, 5, 1, 2, 5, 9, 9)] // depthwise, 8 lanes
    [InlineData(2, 3, 3, 1, 1, 1, 4, 5)] // 4 lanes
    [InlineData(2, 3, 3, 1, 0, 1, 5, 4)] // 2 output pixels per row: scalar
    public void Forward_allocates_nothing_after_the_first_call(int cin, int cout, int k, int s, int p, int groups, int h, int w)
    {
        IConvLayer layer = Conv2d.Create(cin, cout, k, s, p, groups: groups);
        var shape = new TensorShape(3, cin, h, w);
        float[] input = Tensors.Ramp((int)shape.ElementCount);
        var output = new float[layer.GetOutputShape(shape).ElementCount];
        Assert.Equal(0, SteadyState.AllocatedBytes(() => layer.Forward(input, shape, output)));
    }

    [Fact]
    public void A_smaller_input_after_a_larger_one_reuses_the_scratch_buffer()
    {
        IConvLayer layer = Conv2d.Create(3, 4, 3, padding: 1);
        var large = new TensorShape(1, 3, 40, 40);
        var small = new TensorShape(2, 3, 17, 13);
        layer.Forward(new float[large.ElementCount], large, new float[layer.GetOutputShape(large).ElementCount]);
        float[] input = new float[small.ElementCount];
        float[] output = new float[layer.GetOutputShape(small).ElementCount];
        Assert.Equal(0, SteadyState.AllocatedBytes(() => layer.Forward(input, small, output)));
    }
}
