import os

# Quiet TensorFlow's start-up logs in test output; set before Keras is imported.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
