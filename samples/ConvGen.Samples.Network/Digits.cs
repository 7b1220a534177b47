namespace ConvGen.Samples.Network;

[ConvLayer(K = 5, P = 2, InChannels = 1, OutChannels = 6, Activation = Activation.ReLU)]
public partial class Conv5x5To6 { }

[ConvLayer(K = 5, InChannels = 6, OutChannels = 16, Activation = Activation.ReLU)]
public partial class Conv5x5To16 { }

[MaxPoolLayer(K = 2)]
public partial class MaxPool2 { }

[LinearLayer(InFeatures = 400, OutFeatures = 120, Activation = Activation.ReLU)]
public partial class Dense400To120 { }

[LinearLayer(InFeatures = 120, OutFeatures = 84, Activation = Activation.ReLU)]
public partial class Dense120To84 { }

[LinearLayer(InFeatures = 84, OutFeatures = 10)]
public partial class Dense84To10 { }

/// <summary>
/// LeNet-5 for 28x28 digits. The fields are the layers, in order; their names are the PyTorch module names, so a
/// state_dict saved from the same PyTorch module loads with <c>LoadSafeTensors</c>. Swap two fields, or change a
/// channel count, and the build fails on the field that no longer fits.
/// </summary>
[Network(InChannels = 1, InH = 28, InW = 28)]
public partial class Digits
{
    private readonly Conv5x5To6 conv1;
    private readonly MaxPool2 pool1;
    private readonly Conv5x5To16 conv2;
    private readonly MaxPool2 pool2;
    private readonly Flatten flatten;
    private readonly Dense400To120 fc1;
    private readonly Dense120To84 fc2;
    private readonly Dense84To10 fc3;
}
