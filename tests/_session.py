"""The helper the test modules share: fetch values in a fresh Session, variables initialized."""
import minitf as tf


def run(fetches, feed_dict=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed_dict)
