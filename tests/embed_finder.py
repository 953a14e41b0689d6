"""An embed finder for tests: answers for example.com URLs without touching the network."""

from wagtail.embeds.finders.base import EmbedFinder


class LocalEmbedFinder(EmbedFinder):
    def accept(self, url):
        return url.startswith("https://video.example.com/")

    def find_embed(self, url, max_width=None, max_height=None):
        return {
            "title": "A test video",
            "author_name": "Test",
            "provider_name": "Example Video",
            "type": "video",
            "thumbnail_url": None,
            "width": 640,
            "height": 360,
            "html": f'<iframe title="A test video" src="{url}"></iframe>',
        }
