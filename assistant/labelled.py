"""Labelled search queries over the offline sample (`python -m runner run` without an API key).

Each query comes with every sample event a person asking it would want back, found by reading the
sample's structured fields (genre, city, month, status, venue, names), not by running a search.
The sample is deterministic (ingest.land_sample, seed 7, 500 events), so the ids are stable. Queries
are worded as people search: synonyms ("car racing" for Motorsports/Racing, "rap" for Hip-Hop/Rap),
extra words, and lower case, so neither keyword nor vector matching gets them all for free.
"""

from __future__ import annotations

LABELLED_QUERIES: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (query, frozenset(ids))
    for query, ids in (
        # genre or sport in a city
        ("dance performance in Atlanta", {"G5dvRujufx920hM"}),
        ("football in Melbourne", {"vvG1ki7xa16j34", "G5dYh3bPzN3TlHg"}),
        ("country music in New York", {"1AvPUX9B4WaeQSJ"}),
        ("classical concert in Seattle", {"1AvKtiJb4RLxPzf", "G5d1s9BWlRJFS"}),
        ("R&B show in Madrid", {"G5dstbWSjWkMpIo"}),
        ("folk music los angeles", {"vvG1Xfoabz4WibA6"}),
        ("ice hockey game in Nashville", {"vvG1RtSU0OTfi4"}),
        ("heavy metal in Toronto", {"G5dQeb5F5UlJR", "Z7r9jrzo5hGCOmNcN"}),
        ("car racing in Chicago", {"vvG1XUXJno3x4s", "1AvaFAW4R7kPGSt"}),
        ("basketball game Phoenix", {"G5dqpFrvVPdQORJ"}),
        ("baseball in Montreal", {"1AvHG8kFuU7Vdgf"}),
        ("soccer match in Sydney", {"1Avst2IF1Fk3t"}),
        ("rap concert atlanta", {"Z7r9jK83zv9B2WE"}),
        ("wrestling in Los Angeles", {"Z7r9jwiZZHeUEjijG", "vvG1GAN8ahAzVf"}),
        ("tennis tournament in Austin", {"G5dEmXZ2KsOPk", "G5do6zyJdqV8k", "vvG19kGLzoTErfG2"}),
        # sub-genre in a country
        ("ballet in Germany", {"Z7r9jbNkeTo2WXc"}),
        ("opera in Ireland", {"Z7r9jOvxSK75ONK"}),
        ("bluegrass in Canada", {"1AvMT8UWzUEsj", "1Av80P839lEhjub", "1AvvOfLdxR8WG"}),
        ("punk bands playing in Canada", {"G5dXhPyfjigwLby", "vvG1Ybg94MD6CetZ"}),
        ("techno party in Spain", {"G5dQgrlQ5KcKyPo"}),
        # status in a city
        ("cancelled events in Austin", {"vvG10n1RM5ws29"}),
        ("postponed shows in Madrid", {"vvG1rkSzOwuFrh"}),
        ("cancelled events in Phoenix", {"vvG1QGDGK5PBJk", "1AviGgipe77OheP"}),
        # venues
        ("what is on at Northern Lantern Theatre", {"G5dk08c8nOkQUtT"}),
        ("Paper Garden Field Dublin", {"1Av59oYYpFUKrtl", "1AvY5q4tmRosC", "vvG1VUU9ii9K3Eri"}),
        ("events at the Savage Owl Arena", {"1AvetBaPk42Bh", "vvG1X9zfogAcfYks", "G5dLHFElV3YSawC"}),
        # artists, teams and shows (events named after them or listing them)
        ("Rosa Duarte", {"G5dTlk0bbhPMCMv", "vvG1lXXBM8BNhHMM", "Z7r9jnYfXzDVMLcOB"}),
        ("the static arrows tickets", {"Z7r9jrzo5hGCOmNcN", "G5dN3XgughWDxE1"}),
        ("Hazel Castillo jazz", {"1AvBpb4gkevYL", "G5dGo1NP6Q1X94v"}),
        ("Montreal Titans", {"Z7r9jvPw5NHQU7K", "1Av7tswaylJs3qJ", "vvG1v508273wXQg3"}),
        ("Golden Arrow Festival", {"1AvKQHEVeebPA", "G5d8RyWmwmCR9"}),
        # genre, city and month
        ("tennis in Austin in February", {"G5do6zyJdqV8k"}),
        ("jazz in Madrid in April", {"G5dGo1NP6Q1X94v"}),
        ("latin music in Chicago in April", {"Z7r9jznbdqAFt4w"}),
        ("rock concert in Berlin in May", {"vvG1Edff4IDUXToN"}),
        ("theatre in Montreal in March", {"1AvYNHIuZZ8kld3"}),
    )
)
