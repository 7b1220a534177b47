using ConvGen;

namespace ConvGen.Samples.Training;

// The network the sample trains: two 3x3 convolutions with ReLU, each halving the image by 2x2 max pooling, then two
// linear layers. PyTorch's equivalent (tests/ConvGen.Benchmarks/peers/torch_training.py measures it):
//   Conv2d(1, 16, 3, padding=1) + ReLU, MaxPool2d(2), Conv2d(16, 32, 3, padding=1) + ReLU, MaxPool2d(2),
//   Flatten, Linear(1568, 128) + ReLU, Linear(128, 10)
// The sizes are static, so every layer's forward and backward kernels are generated for exactly these shapes.

[ConvLayer(K = 3, P = 1, InChannels = 1, OutChannels = 16, InH = 28, InW = 28, Activation = Activation.ReLU)]
public partial class Conv1 { }

[ConvLayer(K = 3, P = 1, InChannels = 16, OutChannels = 32, InH = 14, InW = 14, Activation = Activation.ReLU)]
public partial class Conv2 { }

[MaxPoolLayer(K = 2)]
public partial class Pool2x2 { }

[LinearLayer(InFeatures = 32 * 7 * 7, OutFeatures = 128, Activation = Activation.ReLU)]
public partial class Hidden { }

[LinearLayer(InFeatures = 128, OutFeatures = 10)]
public partial class Classes { }

[Network(InChannels = 1, InH = 28, InW = 28)]
public partial class FashionNet
{
    private readonly Conv1 conv1;
    private readonly Pool2x2 pool1;
    private readonly Conv2 conv2;
    private readonly Pool2x2 pool2;
    private readonly Flatten flatten;
    private readonly Hidden fc1;
    private readonly Classes fc2;
}
